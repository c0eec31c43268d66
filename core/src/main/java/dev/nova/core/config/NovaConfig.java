package dev.nova.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Nova's configuration: parsed once, immutable, never throws.
 *
 * <p>Each option is looked up in the agent argument (or the values given in code), then the system
 * property {@code nova.<key>}, then the environment variable {@code NOVA_<KEY>}; the first one
 * found wins. A value that does not parse is reported and replaced by the default. An unknown key
 * in the agent argument, in code or among the {@code nova.*} system properties is reported and
 * ignored. Unknown {@code NOVA_*} environment variables are listed but not reported as problems:
 * the prefix is shared with the service's own settings (for example {@code NOVA_DB_URL}).
 */
public final class NovaConfig {

  /** One option's effective value and where it came from. */
  public record Setting(Option<?> option, Object value, Source source) {
    /** The value as the report shows it (secrets only say that they are set). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String printed() {
      return ((Option) option).print(value);
    }
  }

  private final Map<Option<?>, Setting> settings;
  private final List<ConfigProblem> problems;
  private final List<ConfigProblem> later = new ArrayList<>();
  private final List<String> ignoredEnvironment;

  private NovaConfig(
      Map<Option<?>, Setting> settings,
      List<ConfigProblem> problems,
      List<String> ignoredEnvironment) {
    this.settings = Collections.unmodifiableMap(settings);
    this.problems = List.copyOf(problems);
    this.ignoredEnvironment = List.copyOf(ignoredEnvironment);
  }

  /** Every option at its default. */
  public static NovaConfig defaults() {
    return parse(null, Map.of(), Map.of(), Map.of());
  }

  /** The agent's way in: its argument string, this JVM's system properties and environment. */
  public static NovaConfig fromAgentArgument(String agentArgument) {
    return parse(agentArgument, Map.of(), systemProperties(), System.getenv());
  }

  /** The library's way in: values set in code, then system properties and environment. */
  public static NovaConfig fromCode(Map<String, String> values) {
    return parse(null, values, systemProperties(), System.getenv());
  }

  /**
   * Parses every source. Never throws: everything wrong ends up in {@link #problems()}.
   *
   * @param agentArgument {@code key=value} pairs separated by commas, or null
   * @param code values set in code (library mode), keyed by option key
   * @param properties system properties (only {@code nova.*} are read)
   * @param environment environment variables (only {@code NOVA_*} are read)
   */
  public static NovaConfig parse(
      String agentArgument,
      Map<String, String> code,
      Map<String, String> properties,
      Map<String, String> environment) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Option<?>> byKey = new HashMap<>();
    for (Option<?> o : Options.ALL) {
      byKey.put(o.key().toLowerCase(Locale.ROOT), o);
    }

    Map<Option<?>, String> fromArgs = new HashMap<>();
    for (Map.Entry<String, String> e : splitAgentArgument(agentArgument, problems).entrySet()) {
      accept(byKey, Source.AGENT_ARGUMENT, e.getKey(), e.getValue(), fromArgs, problems);
    }
    Map<Option<?>, String> fromCode = new HashMap<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(code).entrySet()) {
      accept(byKey, Source.CODE, e.getKey(), e.getValue(), fromCode, problems);
    }
    Map<Option<?>, String> fromProps = new HashMap<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(properties).entrySet()) {
      if (e.getKey().startsWith("nova.")) {
        String key = e.getKey().substring("nova.".length());
        accept(byKey, Source.SYSTEM_PROPERTY, key, e.getValue(), fromProps, problems);
      }
    }
    Map<Option<?>, String> fromEnv = new HashMap<>();
    Map<String, Option<?>> byEnvName = new HashMap<>();
    for (Option<?> o : Options.ALL) {
      byEnvName.put(o.environmentName(), o);
    }
    TreeSet<String> ignoredEnv = new TreeSet<>();
    for (Map.Entry<String, String> e : environment.entrySet()) {
      if (e.getKey().startsWith("NOVA_")) {
        Option<?> o = byEnvName.get(e.getKey());
        if (o == null) {
          ignoredEnv.add(e.getKey());
        } else {
          fromEnv.put(o, e.getValue());
        }
      }
    }

    Map<Option<?>, Setting> settings = new LinkedHashMap<>();
    for (Option<?> o : Options.ALL) {
      settings.put(o, resolve(o, fromArgs, fromCode, fromProps, fromEnv, problems));
    }
    return new NovaConfig(settings, problems, new ArrayList<>(ignoredEnv));
  }

  private static Setting resolve(
      Option<?> o,
      Map<Option<?>, String> args,
      Map<Option<?>, String> code,
      Map<Option<?>, String> props,
      Map<Option<?>, String> env,
      List<ConfigProblem> problems) {
    Source source;
    String raw;
    if (args.containsKey(o)) {
      source = Source.AGENT_ARGUMENT;
      raw = args.get(o);
    } else if (code.containsKey(o)) {
      source = Source.CODE;
      raw = code.get(o);
    } else if (props.containsKey(o)) {
      source = Source.SYSTEM_PROPERTY;
      raw = props.get(o);
    } else if (env.containsKey(o)) {
      source = Source.ENVIRONMENT;
      raw = env.get(o);
    } else {
      return new Setting(o, o.defaultValue(), Source.DEFAULT);
    }
    try {
      return new Setting(o, o.parse(raw == null ? "" : raw), source);
    } catch (IllegalArgumentException | NullPointerException e) {
      String shown = o.secret() ? "" : e.getMessage() + "; ";
      problems.add(
          new ConfigProblem(
              source,
              o.key(),
              (o.secret() ? "the value is empty; " : shown)
                  + "using the default ("
                  + printDefault(o)
                  + ")"));
      return new Setting(o, o.defaultValue(), Source.DEFAULT);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String printDefault(Option o) {
    return o.print(o.defaultValue());
  }

  private static void accept(
      Map<String, Option<?>> byKey,
      Source source,
      String key,
      String value,
      Map<Option<?>, String> into,
      List<ConfigProblem> problems) {
    Option<?> o = byKey.get(key.toLowerCase(Locale.ROOT));
    if (o == null) {
      String hint = suggest(key);
      problems.add(
          new ConfigProblem(
              source,
              key,
              "unknown option, ignored" + (hint == null ? "" : "; did you mean '" + hint + "'?")));
      return;
    }
    into.put(o, value);
  }

  /** Splits {@code k=v,k=v}; reports entries without '=' or key, and keys given twice. */
  static Map<String, String> splitAgentArgument(String argument, List<ConfigProblem> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    if (argument == null || argument.isBlank()) {
      return out;
    }
    for (String entry : argument.split(",", -1)) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue; // a trailing or doubled comma is harmless
      }
      int eq = e.indexOf('=');
      if (eq < 0) {
        problems.add(
            new ConfigProblem(Source.AGENT_ARGUMENT, e, "has no value; write key=value, ignored"));
        continue;
      }
      String key = e.substring(0, eq).trim();
      String value = e.substring(eq + 1).trim();
      if (key.isEmpty()) {
        problems.add(
            new ConfigProblem(
                Source.AGENT_ARGUMENT, "", "an entry has no key before '=', ignored"));
        continue;
      }
      String previous =
          out.keySet().stream().filter(k -> k.equalsIgnoreCase(key)).findFirst().orElse(null);
      if (previous != null) {
        out.remove(previous);
        problems.add(
            new ConfigProblem(Source.AGENT_ARGUMENT, key, "given more than once; the last wins"));
      }
      out.put(key, value);
    }
    return out;
  }

  private static String suggest(String key) {
    String best = null;
    int bestDistance = 3;
    for (Option<?> o : Options.ALL) {
      int d = distance(key.toLowerCase(Locale.ROOT), o.key().toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = o.key();
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Map<String, String> systemProperties() {
    Map<String, String> out = new HashMap<>();
    try {
      Properties p = System.getProperties();
      for (String name : p.stringPropertyNames()) {
        if (name.startsWith("nova.")) {
          out.put(name, p.getProperty(name));
        }
      }
    } catch (SecurityException e) {
      // no access to properties: the other sources still apply
    }
    return out;
  }

  /** The effective value of {@code option}. */
  @SuppressWarnings("unchecked")
  public <T> T get(Option<T> option) {
    Setting s = settings.get(option);
    return s == null ? option.defaultValue() : (T) s.value();
  }

  public Setting setting(Option<?> option) {
    return settings.get(option);
  }

  /** Every option in {@link Options#ALL} order. */
  public List<Setting> settings() {
    return List.copyOf(settings.values());
  }

  /** What was wrong in the options: those parsing found, then those areas found later. */
  public List<ConfigProblem> problems() {
    synchronized (later) {
      if (later.isEmpty()) {
        return problems;
      }
      List<ConfigProblem> all = new ArrayList<>(problems);
      all.addAll(later);
      return List.copyOf(all);
    }
  }

  /**
   * A problem an area found in {@code option}'s value when it read it (part of a value refused,
   * such as one autopilot rule of several); reported with the others.
   */
  public void problem(Option<?> option, String message) {
    Setting s = settings.get(option);
    synchronized (later) {
      later.add(new ConfigProblem(s == null ? Source.DEFAULT : s.source(), option.key(), message));
    }
  }

  /** {@code NOVA_*} environment variables that name no option (not an error, see class doc). */
  public List<String> ignoredEnvironment() {
    return ignoredEnvironment;
  }

  public boolean enabled() {
    return get(Options.ENABLED);
  }

  public int port() {
    return get(Options.PORT);
  }

  public String bind() {
    return get(Options.BIND);
  }

  public Optional<String> token() {
    return Optional.ofNullable(get(Options.TOKEN));
  }

  public Optional<Path> portFile() {
    return Optional.ofNullable(get(Options.PORT_FILE));
  }

  public Duration detectInterval() {
    return get(Options.DETECT_INTERVAL);
  }
}
