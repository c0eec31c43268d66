package dev.nova.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NovaConfigTest {

  private static NovaConfig args(String agentArgument) {
    return NovaConfig.parse(agentArgument, Map.of(), Map.of(), Map.of());
  }

  @Test
  void defaultsMatchTheContract() {
    NovaConfig c = NovaConfig.defaults();
    assertThat(c.port()).isEqualTo(9311);
    assertThat(c.bind()).isEqualTo("127.0.0.1");
    assertThat(c.token()).isEmpty();
    assertThat(c.portFile()).isEmpty();
    assertThat(c.get(Options.HEAP_DUMP)).isFalse();
    assertThat(c.get(Options.HEAP_DUMP_DIR).getFileName().toString()).isEqualTo("nova");
    assertThat(c.get(Options.JDBC_LEAK_THRESHOLD)).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.get(Options.JDBC_SLOW_QUERY)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.get(Options.HTTP_SLOW)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.get(Options.HEAP_WINDOW)).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.get(Options.THREADS_WINDOW)).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.get(Options.WS_IDLE)).isEqualTo(Duration.ofHours(1));
    assertThat(c.problems()).isEmpty();
    assertThat(c.settings()).allMatch(s -> s.source() == Source.DEFAULT);
  }

  @Test
  void agentArgumentWinsOverPropertyWhichWinsOverEnvironment() {
    NovaConfig c =
        NovaConfig.parse(
            "port=1111",
            Map.of(),
            Map.of("nova.port", "2222", "nova.bind", "0.0.0.0"),
            Map.of("NOVA_PORT", "3333", "NOVA_BIND", "::1", "NOVA_HTTP_SLOW", "7s"));
    assertThat(c.port()).isEqualTo(1111);
    assertThat(c.setting(Options.PORT).source()).isEqualTo(Source.AGENT_ARGUMENT);
    assertThat(c.bind()).isEqualTo("0.0.0.0");
    assertThat(c.setting(Options.BIND).source()).isEqualTo(Source.SYSTEM_PROPERTY);
    assertThat(c.get(Options.HTTP_SLOW)).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.setting(Options.HTTP_SLOW).source()).isEqualTo(Source.ENVIRONMENT);
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void codeValuesWinOverPropertiesInLibraryMode() {
    NovaConfig c =
        NovaConfig.parse(null, Map.of("port", "0"), Map.of("nova.port", "2222"), Map.of());
    assertThat(c.port()).isZero();
    assertThat(c.setting(Options.PORT).source()).isEqualTo(Source.CODE);
  }

  @Test
  void environmentNamesAreUpperCaseWithUnderscores() {
    NovaConfig c =
        NovaConfig.parse(
            null,
            Map.of(),
            Map.of(),
            Map.of(
                "NOVA_HEAP_DUMPDIR", "/var/dumps",
                "NOVA_JDBC_LEAKTHRESHOLD", "45s",
                "NOVA_PORTFILE", "/tmp/p",
                "NOVA_TOKEN", "abc"));
    assertThat(c.get(Options.HEAP_DUMP_DIR)).isEqualTo(Path.of("/var/dumps"));
    assertThat(c.get(Options.JDBC_LEAK_THRESHOLD)).isEqualTo(Duration.ofSeconds(45));
    assertThat(c.portFile()).contains(Path.of("/tmp/p"));
    assertThat(c.token()).contains("abc");
    assertThat(Options.JDBC_LEAK_THRESHOLD.environmentName()).isEqualTo("NOVA_JDBC_LEAKTHRESHOLD");
    assertThat(Options.JDBC_LEAK_THRESHOLD.propertyName()).isEqualTo("nova.jdbc.leakThreshold");
  }

  @Test
  void unknownKeyIsReportedWithASuggestionAndIgnored() {
    NovaConfig c = args("prot=1234,token=x");
    assertThat(c.port()).isEqualTo(9311);
    assertThat(c.token()).contains("x");
    assertThat(c.problems()).hasSize(1);
    ConfigProblem p = c.problems().get(0);
    assertThat(p.source()).isEqualTo(Source.AGENT_ARGUMENT);
    assertThat(p.key()).isEqualTo("prot");
    assertThat(p.message()).contains("unknown option").contains("did you mean 'port'");
  }

  @Test
  void unknownNovaSystemPropertyIsReported() {
    NovaConfig c = NovaConfig.parse(null, Map.of(), Map.of("nova.colour", "red"), Map.of());
    assertThat(c.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.toString()).contains("system property 'colour'"));
  }

  @Test
  void unknownNovaEnvironmentVariablesAreListedNotReported() {
    NovaConfig c =
        NovaConfig.parse(null, Map.of(), Map.of(), Map.of("NOVA_DB_URL", "jdbc:h2:mem:x"));
    assertThat(c.problems()).isEmpty();
    assertThat(c.ignoredEnvironment()).containsExactly("NOVA_DB_URL");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "port=abc",
        "port=-1",
        "port=65536",
        "port=99999999999",
        "port=",
        "port= ",
        "port=1.5"
      })
  void badPortFallsBackToTheDefaultAndIsReported(String argument) {
    NovaConfig c = args(argument);
    assertThat(c.port()).isEqualTo(9311);
    assertThat(c.setting(Options.PORT).source()).isEqualTo(Source.DEFAULT);
    assertThat(c.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("using the default (9311)"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdbc.slowQuery=5", "jdbc.slowQuery=fast", "jdbc.slowQuery=0ms"})
  void badDurationFallsBackToTheDefault(String argument) {
    NovaConfig c = args(argument);
    assertThat(c.get(Options.JDBC_SLOW_QUERY)).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.problems()).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"heapDump=yes", "heapDump=1", "heapDump=", "enabled=maybe"})
  void booleansAreTrueOrFalseOnly(String argument) {
    NovaConfig c = args(argument);
    assertThat(c.get(Options.HEAP_DUMP)).isFalse();
    assertThat(c.enabled()).isTrue();
    assertThat(c.problems()).hasSize(1);
  }

  @Test
  void malformedEntriesAreReportedAndTheRestApplies() {
    NovaConfig c = args(",port=1234,,justakey,=nokey,token=t,");
    assertThat(c.port()).isEqualTo(1234);
    assertThat(c.token()).contains("t");
    assertThat(c.problems()).extracting(ConfigProblem::message).hasSize(2);
    assertThat(c.problems().get(0).message()).contains("write key=value");
    assertThat(c.problems().get(1).message()).contains("no key");
  }

  @Test
  void aKeyGivenTwiceTakesTheLastAndSaysSo() {
    NovaConfig c = args("port=1,PORT=2");
    assertThat(c.port()).isEqualTo(2);
    assertThat(c.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("more than once"));
  }

  @Test
  void keysMatchWhateverTheirCase() {
    NovaConfig c = args("HEAP.DUMPDIR=/d,Jdbc.SlowQuery=1s");
    assertThat(c.get(Options.HEAP_DUMP_DIR)).isEqualTo(Path.of("/d"));
    assertThat(c.get(Options.JDBC_SLOW_QUERY)).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void valuesMayContainEqualsSigns() {
    assertThat(args("token=a=b==").token()).contains("a=b==");
  }

  @Test
  void theTokenIsNeverPrintedNorEchoedInProblems() {
    NovaConfig c = args("token=hunter2");
    assertThat(c.setting(Options.TOKEN).printed()).isEqualTo("(set)").doesNotContain("hunter2");
    NovaConfig empty = args("token=");
    assertThat(empty.token()).isEmpty();
    assertThat(empty.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("empty"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", ",", ",,,"})
  void emptyArgumentsAreDefaults(String argument) {
    NovaConfig c = args(argument);
    assertThat(c.problems()).isEmpty();
    assertThat(c.port()).isEqualTo(9311);
  }

  @Test
  void nullSourcesAreFine() {
    NovaConfig c = NovaConfig.parse(null, Map.of(), Map.of(), Map.of());
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void nonNovaPropertiesAreNotRead() {
    NovaConfig c =
        NovaConfig.parse(null, Map.of(), Map.of("port", "1", "novaport", "2"), Map.of("PORT", "3"));
    assertThat(c.port()).isEqualTo(9311);
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void aBadValueInTheStrongestSourceFallsBackToTheDefaultNotToAWeakerSource() {
    NovaConfig c = NovaConfig.parse("port=x", Map.of(), Map.of("nova.port", "2222"), Map.of());
    assertThat(c.port()).isEqualTo(9311);
    assertThat(c.problems()).hasSize(1);
  }

  @Test
  void everyOptionHasADescriptionAndAUniqueKey() {
    assertThat(Options.ALL).extracting(Option::key).doesNotHaveDuplicates();
    assertThat(Options.ALL).allSatisfy(o -> assertThat(o.description()).isNotBlank());
  }
}
