package dev.nova.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.core.Nova;
import dev.nova.testing.Http;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Durations are written in every answer as the options write them: 30s, never PT30S. */
class DurationTextTest {

  @Test
  void parsesAndPrintsTheOptionsNotation() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(DurationText.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThatThrownBy(() -> DurationText.parse("1s", Duration.ofSeconds(2)))
        .hasMessageContaining("shorter than the minimum 2s");
  }

  @Test
  void jsonWritesADurationAsTheOptionsDo() {
    assertThat(Json.line(Map.of("olderThan", Duration.ofSeconds(30))))
        .isEqualTo("{\"olderThan\":\"30s\"}");
  }

  @Test
  void actionParameterDefaultsAreListedAsTheOptionsWriteThem() {
    try (Nova nova = Nova.builder().option("port", "0").option("jfr", "false").start()) {
      JsonNode actions =
          new Http(nova.address().orElseThrow().getPort()).get("/debug/nova/actions").json();
      String text = actions.toString();
      assertThat(text).doesNotContain("\"PT");
      JsonNode cancel = null;
      for (JsonNode a : actions.path("actions")) {
        if (a.path("name").asText().equals("query-cancel")) {
          cancel = a;
        }
      }
      assertThat(cancel).isNotNull();
      assertThat(cancel.path("params").get(0).path("default").asText()).isEqualTo("5s");
    }
  }

  @Test
  void anActionsAnswerEchoesADurationParameterAsGiven() {
    try (Nova nova =
        Nova.builder().option("port", "0").option("jfr", "false").option("token", "t").start()) {
      JsonNode answer =
          new Http(nova.address().orElseThrow().getPort())
              .post("/debug/nova/actions/query-cancel?olderThan=90s&dryRun=true", "t")
              .json();
      assertThat(answer.path("params").path("olderThan").asText()).isEqualTo("90s");
    }
  }
}
