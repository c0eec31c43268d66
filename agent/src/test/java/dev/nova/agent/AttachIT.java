package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code java -jar nova-agent.jar attach <pid>} against real running JVMs. */
class AttachIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  private static ForkedJvm cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("-jar", Jdks.agentJar().toString()));
    cmd.addAll(List.of(args));
    return ForkedJvm.start(ForkedJvm.currentJdk(), cmd);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void attachesToARunningJvmAndSaysWhereNovaListens(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port");
    try (ForkedJvm target =
        ForkedJvm.start(
            jdk.home(), List.of("-cp", Jdks.hostClassPath(), "dev.nova.agent.hosts.IdleHost"))) {
      target.awaitStdout("host-ready", WAIT);
      try (ForkedJvm cli =
          cli("attach", String.valueOf(target.pid()), "token=tok,port=0,portFile=" + portFile)) {
        assertThat(cli.awaitExit(WAIT)).as(cli.describe()).isZero();
        assertThat(cli.stdout()).contains("Nova is running in pid " + target.pid());
      }
      int port = Integer.parseInt(target.awaitFile(portFile, WAIT));
      var report = new Http(port).get("/debug/nova").json();
      assertThat(report.get("nova").get("mode").asText()).isEqualTo("agent (attached)");
      assertThat(report.get("agent").get("instrumentation").get("installed").asBoolean()).isTrue();
      assertThat(new Http(port).post("/debug/nova/actions/thread-dump", "tok").status())
          .isEqualTo(200);

      try (ForkedJvm again = cli("attach", String.valueOf(target.pid()), "port=0")) {
        assertThat(again.awaitExit(WAIT)).isZero();
        assertThat(again.stdout()).contains("already running in pid " + target.pid());
      }
      assertThat(new Http(port).get("/debug/nova").json().get("agent").get("errors").asLong())
          .isZero();
      target.closeStdin();
      assertThat(target.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void withoutArgumentsItPrintsUsage() throws Exception {
    try (ForkedJvm cli = cli()) {
      assertThat(cli.awaitExit(WAIT)).isEqualTo(2);
      assertThat(cli.stderr()).contains("java -jar nova-agent.jar attach <pid> [OPTIONS]");
    }
  }

  @Test
  void aPidThatIsNotANumberIsAUsageError() throws Exception {
    try (ForkedJvm cli = cli("attach", "my-service")) {
      assertThat(cli.awaitExit(WAIT)).isEqualTo(2);
      assertThat(cli.stderr()).contains("'my-service' is not a process id");
    }
  }

  @Test
  void aPidWithNoProcessSaysSo() throws Exception {
    try (ForkedJvm cli = cli("attach", "2147483646")) {
      assertThat(cli.awaitExit(WAIT)).isEqualTo(1);
      assertThat(cli.stderr()).contains("no process with pid 2147483646");
    }
  }

  @Test
  void aProcessThatIsNotAJvmIsRefusedWithTheReason() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try (ForkedJvm cli = cli("attach", String.valueOf(sleeper.pid()))) {
      assertThat(cli.awaitExit(WAIT)).isEqualTo(1);
      assertThat(cli.stderr()).contains("cannot attach to pid " + sleeper.pid());
    } finally {
      sleeper.destroy();
    }
  }

  @Test
  void anUnknownCommandIsAUsageError() throws Exception {
    try (ForkedJvm cli = cli("detach", "1")) {
      assertThat(cli.awaitExit(WAIT)).isEqualTo(2);
      assertThat(cli.stderr()).contains("unknown command 'detach'");
    }
  }

  @Test
  void listShowsRunningJvms() throws Exception {
    try (ForkedJvm target =
        ForkedJvm.start(
            ForkedJvm.currentJdk(),
            List.of("-cp", Jdks.hostClassPath(), "dev.nova.agent.hosts.IdleHost"))) {
      target.awaitStdout("host-ready", WAIT);
      try (ForkedJvm cli = cli("list")) {
        assertThat(cli.awaitExit(WAIT)).isZero();
        assertThat(cli.stdout()).contains(target.pid() + "\tdev.nova.agent.hosts.IdleHost");
      }
      target.closeStdin();
      target.awaitExit(WAIT);
    }
  }
}
