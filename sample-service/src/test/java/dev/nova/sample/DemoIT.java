package dev.nova.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.testing.ForkedJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first command, as a user runs it: the sample jar, with and without the agent. */
class DemoIT {
  static final Duration WAIT = Duration.ofSeconds(120);

  private static String jar(String property) {
    return System.getProperty(property);
  }

  @Test
  void theTourRunsWithTheAgentAndEndsCleanly() throws Exception {
    try (ForkedJvm demo =
        ForkedJvm.start(
            ForkedJvm.currentJdk(),
            List.of(
                "-Dnova.token=demo",
                "-javaagent:" + jar("nova.agent.jar") + "=port=0",
                "-jar",
                jar("nova.sample.jar"),
                "--port",
                "0"))) {
      assertThat(demo.awaitExit(WAIT)).as(demo.describe()).isZero();
      assertThat(demo.stdout())
          .contains("Nova runs as the -javaagent")
          .contains("Nova diagnosis at ")
          .contains("-> 401")
          .contains("6 x {\"BLOCKED\":6}")
          .contains("held by cache-refresher")
          .contains("threads still blocked: 0")
          .contains("errors inside Nova: 0");
    }
  }

  @Test
  void theTourRunsWithNovaAsALibrary() throws Exception {
    try (ForkedJvm demo =
        ForkedJvm.start(
            ForkedJvm.currentJdk(),
            List.of(
                "-Dnova.token=demo",
                "-Dnova.port=0",
                "-jar",
                jar("nova.sample.jar"),
                "--port",
                "0"))) {
      assertThat(demo.awaitExit(WAIT)).as(demo.describe()).isZero();
      assertThat(demo.stdout())
          .contains("starting Nova as a library")
          .contains("6 x {\"BLOCKED\":6}")
          .contains("errors inside Nova: 0");
    }
  }

  @Test
  void aServiceThatStartsNovaAsALibraryStillExitsWhenItsMainReturns() throws Exception {
    String cp =
        jar("nova.sample.jar")
            + java.io.File.pathSeparator
            + java.nio.file.Path.of("target", "test-classes").toAbsolutePath();
    try (ForkedJvm host =
        ForkedJvm.start(
            ForkedJvm.currentJdk(), List.of("-cp", cp, "dev.nova.sample.LibraryQuickHost"))) {
      assertThat(host.awaitExit(WAIT)).as(host.describe()).isZero();
      assertThat(host.stdout()).contains("host-done");
    }
  }
}
