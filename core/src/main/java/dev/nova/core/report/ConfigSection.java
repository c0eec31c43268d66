package dev.nova.core.report;

import dev.nova.core.config.ConfigProblem;
import dev.nova.core.config.NovaConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's {@code config}: every option's effective value and where it came from. */
public final class ConfigSection {
  private ConfigSection() {}

  public static Map<String, Object> render(NovaConfig config) {
    Map<String, Object> effective = new LinkedHashMap<>();
    for (NovaConfig.Setting s : config.settings()) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("value", s.printed());
      v.put("source", s.source().label());
      effective.put(s.option().key(), v);
    }
    List<String> problems = new ArrayList<>();
    for (ConfigProblem p : config.problems()) {
      problems.add(p.toString());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("effective", effective);
    m.put("problems", problems);
    m.put("ignoredEnvironment", config.ignoredEnvironment());
    return m;
  }
}
