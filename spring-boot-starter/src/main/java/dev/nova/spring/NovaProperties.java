package dev.nova.spring;

import dev.nova.core.config.Option;
import dev.nova.core.config.Options;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Nova's options read from Spring's {@code Environment}: each of the agent's keys under {@code
 * nova.}, in Spring's canonical form ({@code nova.jdbc.leak-threshold} for {@code
 * jdbc.leakThreshold}) and every relaxed form Spring binds to it ({@code nova.jdbc.leakThreshold},
 * {@code NOVA_JDBC_LEAKTHRESHOLD}).
 */
record NovaProperties(Map<String, String> options, boolean listen) {

  static NovaProperties of(Environment environment) {
    Binder binder = Binder.get(environment);
    Map<String, String> options = new LinkedHashMap<>();
    for (Option<?> o : Options.ALL) {
      binder.bind(name(o.key()), String.class).ifBound(v -> options.put(o.key(), v));
    }
    // Actuator is the surface: Nova's own admin listener only when a port is asked for
    return new NovaProperties(options, options.containsKey(Options.PORT.key()));
  }

  /** {@code jdbc.leakThreshold} as Spring's canonical {@code nova.jdbc.leak-threshold}. */
  static String name(String key) {
    StringBuilder b = new StringBuilder("nova.");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c)) {
        b.append('-').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
