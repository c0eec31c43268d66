package dev.nova.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "2s, 2000",
    "5m, 300000",
    "1h, 3600000",
    "1d, 86400000",
    "' 30s ', 30000",
    "0ms, 0",
    "10S, 10000"
  })
  void parsesEveryUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "5", "ms", "5x", "-5s", "1.5s", "5 s", "s5", "5sec", "9999999999999s"})
  void rejectsWhatIsNotADurationWithTheAcceptedForm(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @NullSource
  void rejectsNull(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("500ms");
  }

  @ParameterizedTest
  @CsvSource({"500, 500ms", "2000, 2s", "300000, 5m", "3600000, 1h", "90000, 90s", "0, 0s"})
  void formatsTheShortestExactForm(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }
}
