package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.testing.ForkedJvm;
import dev.nova.testing.Http;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built agent jar in a forked JVM, on every JDK the machine has. */
class AgentIT {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String TOKEN = "s3cret-agent-token";

  @TempDir Path tmp;

  static List<Jdks.Jdk> jdks() {
    return Jdks.all();
  }

  private ForkedJvm host(Jdks.Jdk jdk, String agentOptions, String mainClass) throws IOException {
    List<String> args = new ArrayList<>();
    args.add("-Xmx256m");
    args.add("-javaagent:" + Jdks.agentJar() + (agentOptions == null ? "" : "=" + agentOptions));
    args.add("-cp");
    args.add(Jdks.hostClassPath());
    args.add(mainClass);
    return ForkedJvm.start(jdk.home(), args);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void reportAnswersPortFileIsWrittenAndThreadDumpWorks(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port");
    try (ForkedJvm jvm =
        host(
            jdk,
            "token=" + TOKEN + ",port=0,portFile=" + portFile,
            "dev.nova.agent.hosts.IdleHost")) {
      int port = Integer.parseInt(jvm.awaitFile(portFile, WAIT));
      jvm.awaitStdout("host-ready", WAIT);
      Http http = new Http(port);

      Http.Answer report = http.get("/debug/nova");
      assertThat(report.status()).isEqualTo(200);
      JsonNode r = report.json();
      assertThat(r.get("severity").asText()).isEqualTo("OK");
      assertThat(r.get("nova").get("mode").asText()).isEqualTo("agent");
      assertThat(r.get("signals").get("jvm").get("version").asText())
          .startsWith(String.valueOf(jdk.feature()));
      assertThat(r.get("signals").get("heap").get("maxBytes").asLong())
          .isEqualTo(256L * 1024 * 1024);
      JsonNode instrumentation = r.get("agent").get("instrumentation");
      assertThat(instrumentation.get("installed").asBoolean()).isTrue();
      assertThat(instrumentation.get("retransformSupported").asBoolean()).isTrue();
      assertThat(r.get("signals").get("jvm").get("inputArguments").toString())
          .contains("token=***")
          .doesNotContain(TOKEN);
      assertThat(report.body()).doesNotContain(TOKEN);

      assertThat(http.get("/debug/nova?format=text").body()).startsWith("Nova diagnosis at ");
      assertThat(http.get("/debug/nova/metrics").body()).contains("nova_agent_errors_total");

      Http.Answer dump = http.post("/debug/nova/actions/thread-dump", TOKEN);
      assertThat(dump.status()).isEqualTo(200);
      assertThat(dump.body())
          .contains("dev.nova.agent.hosts.IdleHost.waitForStdinToClose(IdleHost.java:");
      assertThat(http.post("/debug/nova/actions/thread-dump", "wrong").status()).isEqualTo(401);
      assertThat(jvm.stderr()).contains("audit").doesNotContain(TOKEN);

      assertThat(http.get("/debug/nova").json().get("agent").get("errors").asLong()).isZero();
      jvm.closeStdin();
      assertThat(jvm.awaitExit(WAIT)).isZero();
      assertThat(jvm.stdout()).contains("host-done");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void badOptionsAreReportedAndNeverStopTheHost(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port");
    String options =
        "bogus,prot=1,port=notaport,heapDump=maybe,jdbc.slowQuery=xyz,=x,portFile=" + portFile;
    try (ForkedJvm jvm = host(jdk, options, "dev.nova.agent.hosts.IdleHost")) {
      jvm.awaitStdout("host-ready", WAIT);
      jvm.await("config problems on stderr", WAIT, () -> jvm.stderr().contains("did you mean"));
      assertThat(jvm.stderr())
          .contains("'prot': unknown option, ignored; did you mean 'port'?")
          .contains("'port': 'notaport' is not a whole number; using the default (9311)")
          .contains("'heapDump'")
          .contains("'jdbc.slowQuery'");
      // port fell back to 9311, which may be taken on a shared machine: either way the host lives
      jvm.closeStdin();
      assertThat(jvm.awaitExit(WAIT)).isZero();
      assertThat(jvm.stdout()).contains("host-done");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void theHostExitsWhenItsMainReturns(Jdks.Jdk jdk) throws Exception {
    try (ForkedJvm jvm = host(jdk, "port=0,token=x", "dev.nova.agent.hosts.QuickHost")) {
      assertThat(jvm.awaitExit(WAIT)).as(jvm.describe()).isZero();
      assertThat(jvm.stdout()).contains("host-done");
      // Nova's core starts beside the application and may not have finished when main returns:
      // whatever it was doing, the exit is clean
      assertThat(jvm.stderr()).doesNotContain("Exception").doesNotContain("Error");
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aTakenPortLeavesTheHostRunning(Jdks.Jdk jdk) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      try (ForkedJvm jvm =
          host(jdk, "port=" + taken.getLocalPort(), "dev.nova.agent.hosts.IdleHost")) {
        jvm.awaitStdout("host-ready", WAIT);
        jvm.await("the listener problem", WAIT, () -> jvm.stderr().contains("cannot listen"));
        assertThat(jvm.stderr()).contains("the host goes on");
        jvm.closeStdin();
        assertThat(jvm.awaitExit(WAIT)).isZero();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anUnwritablePortFileIsReportedAndTheHostRuns(Jdks.Jdk jdk) throws Exception {
    Path blocker = tmp.resolve("a-file");
    Files.writeString(blocker, "x");
    Path portFile = blocker.resolve("port"); // a directory that is a file: cannot be created
    try (ForkedJvm jvm =
        host(jdk, "port=0,portFile=" + portFile, "dev.nova.agent.hosts.IdleHost")) {
      jvm.awaitStdout("host-ready", WAIT);
      jvm.await(
          "the portFile warning", WAIT, () -> jvm.stderr().contains("could not write portFile"));
      jvm.closeStdin();
      assertThat(jvm.awaitExit(WAIT)).isZero();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void disabledInstallsNothing(Jdks.Jdk jdk) throws Exception {
    Path portFile = tmp.resolve("port");
    try (ForkedJvm jvm =
        host(jdk, "enabled=false,port=0,portFile=" + portFile, "dev.nova.agent.hosts.QuickHost")) {
      assertThat(jvm.awaitExit(WAIT)).isZero();
      assertThat(jvm.stderr()).contains("Nova is disabled");
      assertThat(portFile).doesNotExist();
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void virtualThreadsAreGroupedInTheThreadDump(Jdks.Jdk jdk) throws Exception {
    assumeTrue(jdk.feature() >= 21, "virtual threads need JDK 21+; this is " + jdk);
    Path portFile = tmp.resolve("port");
    try (ForkedJvm jvm =
        host(
            jdk,
            "token=" + TOKEN + ",port=0,portFile=" + portFile,
            "dev.nova.agent.hosts.VirtualThreadsHost")) {
      int port = Integer.parseInt(jvm.awaitFile(portFile, WAIT));
      jvm.awaitStdout("host-ready", WAIT);
      JsonNode dump = new Http(port).post("/debug/nova/actions/thread-dump", TOKEN).json();
      assertThat(dump.get("virtualThreadsNote").asText()).isEqualTo("included");
      assertThat(dump.get("virtualThreads").asInt()).isGreaterThanOrEqualTo(5);
      JsonNode group = null;
      for (JsonNode g : dump.get("threadGroups")) {
        if (g.get("virtual").asBoolean() && g.get("stack").toString().contains("parkedVirtually")) {
          group = g;
        }
      }
      assertThat(group).as(dump.toPrettyString()).isNotNull();
      assertThat(group.get("count").asInt()).isEqualTo(5);
      jvm.closeStdin();
      assertThat(jvm.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void theJarIsOneSelfContainedAgentWithEveryDependencyRelocated() throws IOException {
    Path jar = Jdks.agentJar();
    try (JarFile jf = new JarFile(jar.toFile())) {
      Attributes main = jf.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class")).isEqualTo("dev.nova.agent.NovaAgent");
      assertThat(main.getValue("Agent-Class")).isEqualTo("dev.nova.agent.NovaAgent");
      assertThat(main.getValue("Main-Class")).isEqualTo("dev.nova.agent.AttachMain");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
      List<String> strays = new ArrayList<>();
      for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class") && !name.startsWith("dev/nova/agent/")) {
          strays.add(name);
        }
      }
      assertThat(strays).as("classes outside dev/nova/agent/").isEmpty();
      assertThat(jf.getEntry("dev/nova/agent/shaded/core/Nova.class")).isNotNull();
      assertThat(jf.getEntry("dev/nova/agent/shaded/bytebuddy/agent/builder/AgentBuilder.class"))
          .isNotNull();
    }
    assertThat(Files.size(jar)).as("agent jar size").isLessThan(8L * 1024 * 1024);
  }
}
