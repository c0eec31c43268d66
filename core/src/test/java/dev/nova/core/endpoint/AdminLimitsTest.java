package dev.nova.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.Nova;
import dev.nova.testing.Http;
import org.junit.jupiter.api.Test;

/** The listener's switches: no token, rate limit, disabled, a port already taken. */
class AdminLimitsTest {

  @Test
  void withNoTokenConfiguredEveryPostIs403() {
    try (Nova nova = Nova.builder().option("port", "0").start()) {
      Http http = new Http(nova.address().orElseThrow().getPort());
      Http.Answer a = http.post("/debug/nova/actions/thread-dump", "anything");
      assertThat(a.status()).isEqualTo(403);
      assertThat(a.json().get("error").asText()).contains("token=");
      assertThat(http.post("/debug/nova/actions/unknown", null).status()).isEqualTo(403);
      assertThat(http.get("/debug/nova").json().get("nova").get("actionsEnabled").asBoolean())
          .isFalse();
    }
  }

  @Test
  void postsBeyondTheRateAre429WithRetryAfter() {
    try (Nova nova =
        Nova.builder()
            .option("port", "0")
            .option("token", "tok")
            .option("actions.perMinute", "3")
            .start()) {
      Http http = new Http(nova.address().orElseThrow().getPort());
      for (int i = 0; i < 3; i++) {
        assertThat(http.post("/debug/nova/actions/thread-dump?dryRun=true", "tok").status())
            .isEqualTo(200);
      }
      Http.Answer limited = http.post("/debug/nova/actions/thread-dump?dryRun=true", "tok");
      assertThat(limited.status()).isEqualTo(429);
      assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
      // reads are never limited
      assertThat(http.get("/debug/nova").status()).isEqualTo(200);
    }
  }

  @Test
  void aPortAlreadyTakenLeavesNovaRunningWithoutAListenerAndSaysWhy() {
    try (Nova first = Nova.builder().option("port", "0").start()) {
      int taken = first.address().orElseThrow().getPort();
      try (Nova second = Nova.builder().option("port", String.valueOf(taken)).start()) {
        assertThat(second.address()).isEmpty();
        assertThat(second.report().sections().get("nova").toString())
            .contains("listenerProblem")
            .contains(String.valueOf(taken));
      }
    }
  }

  @Test
  void anUnresolvableBindAddressDoesNotThrow() {
    try (Nova nova =
        Nova.builder().option("port", "0").option("bind", "no-such-host.invalid").start()) {
      assertThat(nova.address()).isEmpty();
    }
  }

  @Test
  void disabledNovaOpensNothing() {
    try (Nova nova = Nova.builder().option("port", "0").option("enabled", "false").start()) {
      assertThat(nova.address()).isEmpty();
      assertThat(nova.report().sections().get("nova").toString()).contains("disabled");
    }
  }
}
