package dev.nova.core.remediation;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.meter.Meters;
import dev.nova.core.util.Redaction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Everything between an HTTP {@code POST /debug/nova/actions/<name>} and an {@link Action}: rate
 * limit, token, lookup, concurrency, typed parameters, the run itself, and one audit line.
 *
 * <p>The order of checks is fixed so callers learn nothing they should not: 429 (too many POSTs),
 * 403 (no token configured), 401 (wrong or missing token), then 404 (unknown action), 400 (bad
 * parameter), 429 (busy), and only then the action runs.
 */
public final class ActionDispatcher {

  /** What to answer: a status, a JSON-shaped body, and extra headers. */
  public record Outcome(int status, Map<String, Object> body, Map<String, String> headers) {}

  private static final Set<String> URL_SECRET_NAMES =
      Set.of("token", "access_token", "accesstoken", "authorization", "bearer");

  private final Map<String, Action> actions = new ConcurrentHashMap<>();
  private final Map<String, Semaphore> running = new ConcurrentHashMap<>();
  private final TokenAuth auth;
  private final RateLimiter rate;
  private final Semaphore concurrency;
  private final AuditLog audit;
  private final NovaHealth health;
  private final NovaClock clock;
  private volatile MeterRegistry registry;

  public ActionDispatcher(
      TokenAuth auth,
      int perMinute,
      int maxConcurrent,
      AuditLog audit,
      NovaHealth health,
      NovaClock clock) {
    this.auth = auth;
    this.rate = new RateLimiter(perMinute, clock);
    this.concurrency = new Semaphore(maxConcurrent);
    this.audit = audit;
    this.health = health;
    this.clock = clock;
  }

  /** Adds an action; names must be unique and lower-case-dashed. */
  public void register(Action action) {
    if (!action.name().matches("[a-z]+(-[a-z]+)*")) {
      throw new IllegalArgumentException("action names are lower-case-dashed: " + action.name());
    }
    for (Param<?> p : action.params()) {
      if (p.name().equals(ActionRequest.DRY_RUN)) {
        throw new IllegalArgumentException("dryRun is every action's own parameter");
      }
    }
    if (actions.putIfAbsent(action.name(), action) != null) {
      throw new IllegalArgumentException("an action named " + action.name() + " is registered");
    }
    running.put(action.name(), new Semaphore(1));
  }

  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The registered actions, for {@code GET /debug/nova/actions}. */
  public List<Map<String, Object>> describe() {
    List<Map<String, Object>> out = new ArrayList<>();
    actions.values().stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(
            a -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", a.name());
              m.put("description", a.description());
              List<Map<String, Object>> ps = new ArrayList<>();
              for (Param<?> p : a.params()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", p.name());
                pm.put("type", p.type());
                pm.put("required", p.required());
                if (p.defaultValue() != null) {
                  pm.put("default", Param.print(p.defaultValue()));
                }
                pm.put("description", p.description());
                ps.add(pm);
              }
              ps.add(
                  Map.of(
                      "name", ActionRequest.DRY_RUN,
                      "type", "true|false",
                      "required", false,
                      "default", "false",
                      "description", "answer what would be done, do nothing"));
              m.put("params", ps);
              out.add(m);
            });
    return out;
  }

  /**
   * Handles one POST.
   *
   * @param caller the remote address, for the audit line
   * @param authorization the {@code Authorization} header, or null
   * @param name the action name from the path
   * @param query the query parameters (each name once; the endpoint rejects repeats)
   */
  public Outcome dispatch(
      String caller, String authorization, String name, Map<String, String> query) {
    String fingerprint = TokenAuth.fingerprint(authorization);
    Map<String, String> audited = auditable(query, actions.get(name));
    Outcome outcome;
    try {
      outcome = decide(authorization, name, query);
    } catch (Throwable t) {
      health.recordSuppressed("action " + name, t);
      outcome = error(500, "action " + name + " failed inside Nova: " + t.getClass().getName());
    }
    String message = String.valueOf(outcome.body().getOrDefault("error", "ok"));
    audit.record(
        new AuditLog.Entry(
            clock.now(),
            caller,
            fingerprint,
            actions.containsKey(name) ? name : "(unknown)",
            audited,
            outcome.status(),
            message));
    count(actions.containsKey(name) ? name : "unknown", outcome.status());
    return outcome;
  }

  /**
   * Runs an action for a caller inside Nova (the autopilot), configured by the options Nova started
   * with rather than by a request: no token and no share of the admin listener's per-minute budget
   * (a flood of unauthenticated POSTs must not silence it), but the same lookup, parameter checks,
   * one-at-a-time and concurrency limits, counting and audit line as a person's request.
   */
  public Outcome runAs(String caller, String name, Map<String, String> query) {
    Map<String, String> audited = auditable(query, actions.get(name));
    Outcome outcome;
    try {
      outcome = execute(name, query);
    } catch (Throwable t) {
      health.recordSuppressed("action " + name, t);
      outcome = error(500, "action " + name + " failed inside Nova: " + t.getClass().getName());
    }
    audit.record(
        new AuditLog.Entry(
            clock.now(),
            caller,
            "-",
            actions.containsKey(name) ? name : "(unknown)",
            audited,
            outcome.status(),
            String.valueOf(outcome.body().getOrDefault("error", "ok"))));
    count(actions.containsKey(name) ? name : "unknown", outcome.status());
    return outcome;
  }

  /**
   * The gate of a read that needs the token (an incident bundle's download): the same rate limit
   * and token check as an action, audited under {@code what}. Null when the caller may read, else
   * the refusal to answer.
   */
  public Outcome gate(String caller, String authorization, String what) {
    Outcome refused = rateLimited();
    if (refused == null && !auth.configured()) {
      refused =
          error(
              403,
              "downloads are disabled: no token is configured; start Nova with token=<secret>");
    }
    if (refused == null) {
      refused = unauthorized(authorization);
    }
    int status = refused == null ? 200 : refused.status();
    audit.record(
        new AuditLog.Entry(
            clock.now(),
            caller,
            TokenAuth.fingerprint(authorization),
            what,
            Map.of(),
            status,
            refused == null ? "ok" : String.valueOf(refused.body().get("error"))));
    return refused;
  }

  /** 429 when the admin listener's rate is spent ({@code actions.perMinute}), else null. */
  private Outcome rateLimited() {
    if (rate.tryAcquire()) {
      return null;
    }
    return withHeader(
        error(429, "too many requests to the admin listener; retry later (actions.perMinute)"),
        "Retry-After",
        String.valueOf(rate.secondsUntilNext()));
  }

  /** 401 unless {@code authorization} carries the configured token, else null. */
  private Outcome unauthorized(String authorization) {
    if (auth.accepts(authorization)) {
      return null;
    }
    return withHeader(
        error(
            401,
            authorization == null
                ? "missing Authorization: Bearer <token> header"
                : "wrong or malformed bearer token"),
        "WWW-Authenticate",
        "Bearer realm=\"nova\"");
  }

  private Outcome decide(String authorization, String name, Map<String, String> query) {
    Outcome limited = rateLimited();
    if (limited != null) {
      return limited;
    }
    if (!auth.configured()) {
      return error(
          403, "actions are disabled: no token is configured; start Nova with token=<secret>");
    }
    for (String key : query.keySet()) {
      if (URL_SECRET_NAMES.contains(key.toLowerCase(java.util.Locale.ROOT))) {
        return error(
            400,
            "the token travels only in the Authorization header, never in the URL; "
                + "treat this one as exposed");
      }
    }
    Outcome refused = unauthorized(authorization);
    if (refused != null) {
      return refused;
    }
    return execute(name, query);
  }

  /** From the lookup on: 404, 400, 429 busy, then the run. */
  private Outcome execute(String name, Map<String, String> query) {
    Action action = actions.get(name);
    if (action == null) {
      return error(
          404, "no action named '" + Param.clip(name) + "'; GET /debug/nova/actions lists them");
    }
    ActionRequest request;
    try {
      request = parse(action, query);
    } catch (IllegalArgumentException e) {
      return error(400, e.getMessage());
    }
    Semaphore one = running.get(action.name());
    if (!concurrency.tryAcquire()) {
      return error(429, "too many actions running at once; retry when they finish");
    }
    try {
      if (!one.tryAcquire()) {
        return error(429, action.name() + " is already running; retry when it finishes");
      }
      try {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action.name());
        body.put(ActionRequest.DRY_RUN, request.dryRun());
        body.put("params", printable(request.values()));
        body.putAll(action.run(request));
        return new Outcome(200, body, Map.of());
      } catch (ActionException e) {
        return error(e.status(), e.getMessage());
      } finally {
        one.release();
      }
    } finally {
      concurrency.release();
    }
  }

  static ActionRequest parse(Action action, Map<String, String> query) {
    Map<String, Param<?>> declared = new LinkedHashMap<>();
    for (Param<?> p : action.params()) {
      declared.put(p.name(), p);
    }
    boolean dryRun = false;
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : query.entrySet()) {
      String key = e.getKey();
      if (key.equals(ActionRequest.DRY_RUN)) {
        dryRun = Param.bool(ActionRequest.DRY_RUN, false, "").parse(e.getValue());
        continue;
      }
      Param<?> p = declared.get(key);
      if (p == null) {
        throw new IllegalArgumentException(
            "unknown parameter '"
                + Param.clip(key)
                + "' for "
                + action.name()
                + "; it takes "
                + (declared.isEmpty() ? "only dryRun" : declared.keySet() + " and dryRun"));
      }
      try {
        values.put(key, p.parse(e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("parameter " + key + ": " + ex.getMessage());
      }
    }
    for (Param<?> p : declared.values()) {
      if (p.required() && !values.containsKey(p.name())) {
        throw new IllegalArgumentException(
            "parameter " + p.name() + " is required (" + p.type() + ")");
      }
    }
    return new ActionRequest(values, dryRun);
  }

  private static Map<String, Object> printable(Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, Param.print(v)));
    return out;
  }

  /** Parameters as the audit line may show them: declared ones clipped, others by name only. */
  private static Map<String, String> auditable(Map<String, String> query, Action action) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : query.entrySet()) {
      String k = Param.clip(e.getKey());
      boolean declared =
          e.getKey().equals(ActionRequest.DRY_RUN)
              || (action != null
                  && action.params().stream().anyMatch(p -> p.name().equals(e.getKey())));
      out.put(k, declared ? Redaction.redact(Param.clip(e.getValue())) : "(not shown)");
    }
    return out;
  }

  private void count(String action, int status) {
    MeterRegistry r = registry;
    if (r != null) {
      Counter.builder(Meters.ACTIONS.name())
          .tag("action", action)
          .tag("status", String.valueOf(status))
          .description(Meters.ACTIONS.description())
          .register(r)
          .increment();
    }
  }

  private static Outcome error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", message);
    return new Outcome(status, body, Map.of());
  }

  private static Outcome withHeader(Outcome o, String name, String value) {
    return new Outcome(o.status(), o.body(), Map.of(name, value));
  }
}
