package dev.nova.core.autopilot;

import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the autopilot may run, defined once: for each finding code and remedy, the parameters taken
 * from the finding and the figure of its evidence that says whether a run helped (lower is better
 * for every one of them). The rules an operator writes are checked against this table, and
 * docs/autopilot.md is generated from it.
 */
public final class Remedies {
  private Remedies() {}

  /** Actions no rule may run, each with the reason a refusal gives. */
  static final Map<String, String> NEVER =
      Map.of(
          ActionNames.HEAP_DUMP,
          "a heap dump pauses the JVM and writes the heap to disk: a person decides that",
          ActionNames.POOL_RESIZE,
          "a pool's size is capacity planning, and the database's limit is shared",
          ActionNames.DB_ABORT_BLOCKER,
          "aborting a transaction loses its work: a person decides that",
          ActionNames.THREAD_DUMP,
          "a thread dump changes nothing: incident.on writes one into a bundle the moment a"
              + " finding is raised",
          ActionNames.CPU_PROFILE,
          "a profile changes nothing: incident.on writes the flight recording into a bundle the"
              + " moment a finding is raised");

  /**
   * One remedy the autopilot may run.
   *
   * @param code the finding code
   * @param action the action's name
   * @param params the action's parameters, from the finding's evidence
   * @param paramsText the parameters as the docs say them
   * @param figure the evidence member that must fall for a run to have helped
   * @param figureText what that figure is, for the docs
   */
  public record Remedy(
      FindingCode code,
      String action,
      Function<Finding, Map<String, String>> params,
      String paramsText,
      String figure,
      String figureText) {}

  private static final List<Remedy> ALL = new ArrayList<>();

  static {
    add(
        FindingCode.DB_CONNECTION_LEAK,
        ActionNames.CONNECTION_CLOSE_LEAKED,
        f -> millis(f, "olderThan", "thresholdMs"),
        "`olderThan` = the finding's `thresholdMs` (`jdbc.leakThreshold`); connections running a"
            + " statement are left alone",
        "suspects",
        "connections held past the threshold");
    add(
        FindingCode.DB_POOL_SATURATED,
        ActionNames.CONNECTION_CLOSE_LEAKED,
        f -> text(f, "pool", "pool"),
        "`pool` = the saturated pool; `olderThan` = `jdbc.leakThreshold` (the action's default)",
        "waiting",
        "threads waiting for a connection of that pool");
    add(
        FindingCode.DB_POOL_SATURATED,
        ActionNames.QUERY_CANCEL,
        f -> Map.of(),
        "`olderThan` = `jdbc.slowQuery` (the action's default)",
        "waiting",
        "threads waiting for a connection of that pool");
    add(
        FindingCode.DB_SLOW_QUERY,
        ActionNames.QUERY_CANCEL,
        f -> millis(f, "olderThan", "thresholdMs"),
        "`olderThan` = the finding's `thresholdMs` (`jdbc.slowQuery`)",
        "running",
        "statements running past the threshold");
    add(
        FindingCode.HTTP_SLOW,
        ActionNames.QUERY_CANCEL,
        f -> Map.of(),
        "`olderThan` = `jdbc.slowQuery` (the action's default)",
        "p95Ms",
        "the 95th percentile of requests over `http.window`");
    add(
        FindingCode.HTTP_ERROR_RATE,
        ActionNames.POOL_RESET,
        f -> Map.of(),
        "every pool (the finding names none)",
        "errorShare",
        "the 5xx share over `http.window`");
    add(
        FindingCode.WS_SESSION_LEAK,
        ActionNames.WS_CLOSE_IDLE,
        f -> seconds(f, "olderThan", "idleLimitSeconds"),
        "`olderThan` = the finding's `idleLimitSeconds` (`ws.idle`)",
        "idleSessions",
        "sessions with no frame from the client past the limit");
    add(
        FindingCode.HEAP_GROWTH,
        ActionNames.CACHE_TRIM,
        f -> Map.of(),
        "every registered cache, half of each kept (the action's default)",
        "liveAfterGcMb",
        "the live heap after the last collection");
    add(
        FindingCode.HEAP_PRESSURE,
        ActionNames.CACHE_TRIM,
        f -> Map.of(),
        "every registered cache, half of each kept (the action's default)",
        "share",
        "the live heap's share of the maximum");
    add(
        FindingCode.GC_PRESSURE,
        ActionNames.CACHE_TRIM,
        f -> Map.of(),
        "every registered cache, half of each kept (the action's default)",
        "gcShare",
        "the share of wall time in GC over `gc.window`");
  }

  private static void add(
      FindingCode code,
      String action,
      Function<Finding, Map<String, String>> params,
      String paramsText,
      String figure,
      String figureText) {
    if (!code.actions().contains(action)) {
      throw new IllegalStateException(code + " does not list " + action);
    }
    ALL.add(new Remedy(code, action, params, paramsText, figure, figureText));
  }

  /** The actions no rule may run, each with the reason, in {@link ActionNames#all()} order. */
  public static Map<String, String> never() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : ActionNames.all()) {
      if (NEVER.containsKey(a)) {
        out.put(a, NEVER.get(a));
      }
    }
    return out;
  }

  /** Every remedy, in the table's order. */
  public static List<Remedy> all() {
    return List.copyOf(ALL);
  }

  /** The remedy for {@code code} and {@code action}, or null. */
  static Remedy of(String code, String action) {
    for (Remedy r : ALL) {
      if (r.code().code().equals(code) && r.action().equals(action)) {
        return r;
      }
    }
    return null;
  }

  /** The rules of {@code text} the table allows, and a reason for each it does not. */
  record Parsed(List<Remedy> rules, List<String> refused) {}

  static Parsed parse(String text) {
    List<Remedy> rules = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    if (text == null) {
      return new Parsed(rules, refused);
    }
    Map<String, Remedy> byCode = new LinkedHashMap<>();
    for (String part : text.split(";")) {
      String rule = part.trim();
      if (rule.isEmpty()) {
        continue;
      }
      String shown = rule.length() > 80 ? rule.substring(0, 80) + "..." : rule;
      int eq = rule.indexOf('=');
      if (eq <= 0 || eq == rule.length() - 1) {
        refused.add("rule '" + shown + "' refused: write CODE=action");
        continue;
      }
      String code = rule.substring(0, eq).trim().toUpperCase(Locale.ROOT);
      String action = rule.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
      FindingCode known = known(code);
      String why;
      if (known == null) {
        why = code + " is not a finding code of Nova's (docs/findings.md lists them)";
      } else if (!known.actions().contains(action)) {
        why =
            code
                + " does not list "
                + action
                + " among its actions ("
                + String.join(", ", known.actions())
                + ")";
      } else if (NEVER.containsKey(action)) {
        why = NEVER.get(action);
      } else if (of(code, action) == null) {
        why = "the autopilot has no remedy running " + action + " for " + code;
      } else if (byCode.containsKey(code)) {
        why = "a rule for " + code + " is already given (" + byCode.get(code).action() + ")";
      } else {
        Remedy r = of(code, action);
        byCode.put(code, r);
        rules.add(r);
        continue;
      }
      refused.add("rule '" + shown + "' refused: " + why);
    }
    return new Parsed(rules, refused);
  }

  private static FindingCode known(String code) {
    for (FindingCode c : FindingCode.values()) {
      if (c.code().equals(code)) {
        return c;
      }
    }
    return null;
  }

  private static Map<String, String> millis(Finding f, String param, String member) {
    Number n = f.evidence().number(member);
    return n == null ? Map.of() : Map.of(param, n.longValue() + "ms");
  }

  private static Map<String, String> seconds(Finding f, String param, String member) {
    Number n = f.evidence().number(member);
    return n == null ? Map.of() : Map.of(param, n.longValue() + "s");
  }

  private static Map<String, String> text(Finding f, String param, String member) {
    Object v = f.evidence().get(member);
    return v instanceof String s ? Map.of(param, s) : Map.of();
  }

  /** The figure of {@code f} for {@code r}: a number, or for a list its size; null if none. */
  static Double figure(Remedy r, Finding f) {
    Object v = f.evidence().get(r.figure());
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof List<?> l) {
      return (double) l.size();
    }
    return null;
  }
}
