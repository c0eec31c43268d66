package dev.nova.spring;

import dev.nova.core.config.Option;
import dev.nova.core.config.Options;
import dev.nova.core.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spring Boot's configuration metadata for {@code nova.*} ({@code
 * META-INF/spring-configuration-metadata.json}), so that an IDE completes and documents the keys:
 * made from Nova's own list of options, and kept in step with it by {@code NovaMetadataTest}.
 */
final class NovaMetadata {
  private NovaMetadata() {}

  static String json() {
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", "nova");
    group.put(
        "description", "Nova, the service's own runbook (dev.nova:nova-spring-boot-starter).");
    List<Object> properties = new ArrayList<>();
    for (Option<?> o : Options.ALL) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", NovaProperties.name(o.key()));
      p.put("type", type(o.defaultValue()));
      p.put("description", sentence(o.description()));
      Object d = defaultOf(o);
      if (d != null) {
        p.put("defaultValue", d);
      }
      p.put("sourceType", NovaAutoConfiguration.class.getName());
      properties.add(p);
    }
    // the starter's own switch beside Nova's options, as every Actuator indicator has one
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("name", NovaAutoConfiguration.HEALTH_ENABLED);
    health.put("type", "java.lang.Boolean");
    health.put(
        "description", "Whether to enable Nova's health indicator and its nova-diagnosis group.");
    health.put("defaultValue", true);
    health.put("sourceType", NovaAutoConfiguration.class.getName());
    properties.add(health);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("groups", List.of(group));
    root.put("properties", properties);
    return new String(Json.render(root), StandardCharsets.UTF_8) + "\n";
  }

  /** Numbers and switches as Spring types them; durations and the rest in Nova's own syntax. */
  private static String type(Object defaultValue) {
    if (defaultValue instanceof Boolean) {
      return "java.lang.Boolean";
    }
    if (defaultValue instanceof Integer) {
      return "java.lang.Integer";
    }
    if (defaultValue instanceof Double) {
      return "java.lang.Double";
    }
    return "java.lang.String";
  }

  @SuppressWarnings("unchecked")
  private static Object defaultOf(Option<?> o) {
    if (o.secret() || o.defaultValue() == null) {
      return null;
    }
    Object d = o.defaultValue();
    if (d instanceof Boolean || d instanceof Integer || d instanceof Double) {
      return d;
    }
    String printed = ((Option<Object>) o).print(d);
    return printed == null || printed.isEmpty() ? null : printed;
  }

  private static String sentence(String description) {
    String d =
        description.isEmpty()
            ? description
            : Character.toUpperCase(description.charAt(0)) + description.substring(1);
    return d.endsWith(".") ? d : d + ".";
  }
}
