package dev.nova.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.config.Option;
import dev.nova.core.config.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The starter's view of Nova's options: every key has a valid Spring name, the shipped metadata is
 * the one made from the options ({@code -Dnova.docs.write=true} rewrites it), and Spring's relaxed
 * forms of a key reach Nova.
 */
class NovaMetadataTest {
  static final Path FILE =
      Path.of("src/main/resources/META-INF/spring-configuration-metadata.json");

  @Test
  void everyOptionHasACanonicalSpringName() {
    for (Option<?> o : Options.ALL) {
      assertThat(ConfigurationPropertyName.isValid(NovaProperties.name(o.key())))
          .as(o.key() + " as " + NovaProperties.name(o.key()))
          .isTrue();
    }
    assertThat(NovaProperties.name("jdbc.leakThreshold")).isEqualTo("nova.jdbc.leak-threshold");
  }

  @Test
  void theShippedMetadataIsTheOptions() throws Exception {
    String made = NovaMetadata.json();
    if (Boolean.getBoolean("nova.docs.write")) {
      Files.writeString(FILE, made, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
        .as(
            "stale: mvn -pl spring-boot-starter test -Dtest=NovaMetadataTest -Dnova.docs.write=true")
        .isEqualTo(made);
    assertThat(made).contains("\"name\" : \"nova.jdbc.leak-threshold\"");
    assertThat(made).contains("\"name\" : \"management.health.nova.enabled\"");
  }

  @Test
  void relaxedFormsOfAKeyReachNova() {
    for (Map<String, Object> source :
        java.util.List.<Map<String, Object>>of(
            Map.of("nova.jdbc.leak-threshold", "7s"),
            Map.of("nova.jdbc.leakThreshold", "7s"),
            Map.of("NOVA_JDBC_LEAKTHRESHOLD", "7s"))) {
      StandardEnvironment env = new StandardEnvironment();
      if (source.containsKey("NOVA_JDBC_LEAKTHRESHOLD")) {
        // the process environment, as Spring names it (its name is what picks the env mapping)
        String name = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        env.getPropertySources().replace(name, new SystemEnvironmentPropertySource(name, source));
      } else {
        env.getPropertySources()
            .addFirst(new org.springframework.core.env.MapPropertySource("props", source));
      }
      NovaProperties p = NovaProperties.of(env);
      assertThat(p.options()).as(source.toString()).containsEntry("jdbc.leakThreshold", "7s");
      assertThat(p.listen()).as("no port: no listener of Nova's own").isFalse();
    }
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources()
        .addFirst(
            new org.springframework.core.env.MapPropertySource("p", Map.of("nova.port", "0")));
    assertThat(NovaProperties.of(env).listen()).isTrue();
  }
}
