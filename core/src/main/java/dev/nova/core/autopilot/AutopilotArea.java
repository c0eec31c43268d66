package dev.nova.core.autopilot;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.Evidence;
import dev.nova.core.finding.Finding;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.meter.Meters;
import dev.nova.core.remediation.ActionDispatcher;
import dev.nova.core.remediation.ActionRequest;
import dev.nova.core.util.Json;
import dev.nova.core.util.NovaLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The autopilot: while a finding with a rule's code is raised, Nova runs the rule's remedy itself,
 * at most once per {@code autopilot.every}, through the same dispatcher a person's request goes
 * through (caller {@code autopilot}), on a thread of its own ({@code nova-autopilot}).
 *
 * <p>A run is judged the first round its finding is no longer raised afresh (cleared, or held after
 * its condition cleared: helped), or, while it stays raised, once {@code autopilot.every} has
 * passed since the run: helped when the remedy's figure ({@link Remedies}) fell, else not. Three
 * runs in a row that did not help stop the rule. A finding that comes back after a run that helped
 * is marked recurring in its evidence, and the rule keeps running. In {@code dry-run} (the default)
 * every run asks the action for its dry run, which changes nothing, and is recorded as such.
 *
 * <p>Nothing runs while self-protection has shed Nova's optional work; a failure inside an action
 * is counted and recorded and never reaches the host.
 */
public final class AutopilotArea implements Area {
  static final int RUNS_KEPT = 50;
  static final int MISSES_TO_STOP = 3;
  static final String HELPED = "helped";
  static final String NOT_HELPED = "not-helped";
  static final String DRY_RUN = "dry-run";
  static final String FAILED = "failed";
  static final String SKIPPED = "skipped";
  static final String PENDING = "pending";

  /** The logger of the autopilot's lines. */
  public static final String LOGGER = "dev.nova.autopilot";

  private final Object lock = new Object();
  private final List<Rule> rules = new ArrayList<>();
  private final ArrayDeque<Run> runs = new ArrayDeque<>();
  private List<String> refused = List.of();
  private boolean dryRun = true;
  private long everyNanos;
  private Duration every;
  private Wiring wiring;
  private NovaClock clock;
  private NovaHealth health;
  private MeterRegistry registry;
  private volatile ThreadPoolExecutor worker;

  /** One rule and what the autopilot knows of it; guarded by {@link #lock}. */
  private static final class Rule {
    final Remedies.Remedy remedy;
    long lastRunAt;
    boolean ranOnce;
    Finding lastSeen;
    Run pending;
    int runs;
    int helped;
    int misses;
    String stopped;
    boolean helpedOnce;
    boolean clearedSinceHelp;
    int recurrences;

    Rule(Remedies.Remedy remedy) {
      this.remedy = remedy;
    }

    String code() {
      return remedy.code().code();
    }
  }

  /** One run, as the report shows it; guarded by {@link #lock} once submitted. */
  private static final class Run {
    final Rule rule;
    final Instant at;
    final String code;
    final String action;
    final Map<String, String> params;
    final boolean dryRun;
    final String figure;
    final Double before;
    int status;
    Map<String, Object> result;
    String outcome = PENDING;
    String reason;
    Object after;
    boolean done;
    long doneAt;
    Instant judgedAt;

    Run(Rule r, Instant at, Map<String, String> params, boolean dryRun, Double before) {
      this.rule = r;
      this.at = at;
      this.code = r.code();
      this.action = r.remedy.action();
      this.params = params;
      this.dryRun = dryRun;
      this.figure = r.remedy.figure();
      this.before = before;
    }

    Map<String, Object> render() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", at.toString());
      m.put("code", code);
      m.put("action", action);
      m.put("params", params);
      m.put("mode", dryRun ? DRY_RUN : "on");
      m.put("outcome", outcome);
      if (reason != null) {
        m.put("reason", reason);
      }
      if (status != 0) {
        m.put("status", status);
      }
      if (result != null) {
        m.put("result", result);
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("figure", figure);
      figures.put("before", before);
      if (after != null) {
        figures.put("after", after);
      }
      m.put("figures", figures);
      if (judgedAt != null) {
        m.put("judgedAt", judgedAt.toString());
      }
      return m;
    }
  }

  @Override
  public String name() {
    return Options.AUTOPILOT.key();
  }

  @Override
  public void install(Wiring w) {
    this.wiring = w;
    this.clock = w.clock();
    this.health = w.health();
    this.registry = w.registry();
    this.dryRun = !"on".equals(w.config().get(Options.AUTOPILOT_MODE));
    this.every = w.config().get(Options.AUTOPILOT_EVERY);
    this.everyNanos = every.toNanos();
    Remedies.Parsed parsed = Remedies.parse(w.config().get(Options.AUTOPILOT));
    for (String why : parsed.refused()) {
      w.config().problem(Options.AUTOPILOT, why + "; that rule never runs");
    }
    this.refused = parsed.refused();
    for (Remedies.Remedy r : parsed.rules()) {
      rules.add(new Rule(r));
    }
    w.section(Options.AUTOPILOT.key(), this::section);
    if (rules.isEmpty()) {
      return;
    }
    health.track("autopilot-runs", this::kept, RUNS_KEPT);
    w.decorate(this::decorate);
    w.onStart(() -> worker = executor());
    w.onFindings(this::round);
    w.onClose(
        () -> {
          ThreadPoolExecutor ex = worker;
          if (ex != null) {
            ex.shutdown();
            ex.awaitTermination(10, TimeUnit.SECONDS);
          }
        });
  }

  private int kept() {
    synchronized (lock) {
      return runs.size();
    }
  }

  private static ThreadPoolExecutor executor() {
    ThreadPoolExecutor ex =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4),
            r -> {
              Thread t = new Thread(r, "nova-autopilot");
              t.setDaemon(true);
              return t;
            });
    ex.allowCoreThreadTimeOut(true);
    return ex;
  }

  /** After every detector round, on the detector thread: judge, then start what is due. */
  void round(List<Finding> findings) {
    long now = clock.nanoTime();
    List<Runnable> due = new ArrayList<>();
    synchronized (lock) {
      for (Rule r : rules) {
        Finding f = null;
        for (Finding x : findings) {
          if (x.code().equals(r.code())) {
            f = x;
            break;
          }
        }
        // a held finding is the same object round after round: its condition has cleared
        boolean live = f != null && f != r.lastSeen;
        r.lastSeen = f;
        Run p = r.pending;
        if (p != null) {
          if (!p.done) {
            continue;
          }
          Double after = live ? Remedies.figure(r.remedy, f) : null;
          if (!live) {
            judge(r, p, true, "cleared");
          } else if (after != null && p.before != null && after < p.before) {
            judge(r, p, true, after);
          } else if (now - p.doneAt >= everyNanos) {
            judge(r, p, false, after == null ? "(none)" : after);
          } else {
            continue;
          }
        }
        if (!live) {
          if (r.helpedOnce) {
            r.clearedSinceHelp = true;
          }
          continue;
        }
        if (r.clearedSinceHelp) {
          r.clearedSinceHelp = false;
          r.recurrences++;
        }
        if (r.stopped != null
            || (r.ranOnce && now - r.lastRunAt < everyNanos)
            || !f.actions().contains(r.remedy.action())) {
          continue;
        }
        r.ranOnce = true;
        r.lastRunAt = now;
        Run run =
            new Run(
                r, clock.now(), r.remedy.params().apply(f), dryRun, Remedies.figure(r.remedy, f));
        r.runs++;
        keep(run);
        if (wiring.shedding()) {
          finish(run, SKIPPED, "self-protection has shed Nova's optional work");
          continue;
        }
        r.pending = run;
        due.add(() -> execute(run));
      }
    }
    for (Runnable d : due) {
      submit(d);
    }
  }

  private void submit(Runnable task) {
    ThreadPoolExecutor ex = worker;
    try {
      if (ex == null) {
        throw new RejectedExecutionException("not started");
      }
      ex.execute(task);
    } catch (RejectedExecutionException e) {
      health.recordSuppressed("autopilot busy", e);
    }
  }

  /** On {@code nova-autopilot}: the action through the dispatcher, then its outcome. */
  private void execute(Run run) {
    Map<String, String> query = new LinkedHashMap<>(run.params);
    if (run.dryRun) {
      query.put(ActionRequest.DRY_RUN, "true");
    }
    ActionDispatcher.Outcome o;
    try {
      o = wiring.act(Options.AUTOPILOT.key(), run.action, query);
    } catch (Throwable t) {
      health.recordSuppressed("autopilot " + run.action, t);
      o = new ActionDispatcher.Outcome(500, Map.of("error", String.valueOf(t)), Map.of());
    }
    synchronized (lock) {
      run.status = o.status();
      run.result = summary(o.body());
      run.done = true;
      run.doneAt = clock.nanoTime();
      if (o.status() != 200) {
        finish(run, FAILED, String.valueOf(o.body().get("error")));
        run.rule.pending = null; // nothing to judge
      } else if (run.dryRun) {
        finish(run, DRY_RUN, null);
        run.rule.pending = null;
      }
      log(run, "ran");
    }
  }

  /** The judgement of a run that ran: helped or not, and what follows for its rule. */
  private void judge(Rule r, Run p, boolean helped, Object after) {
    r.pending = null;
    if (!DRY_RUN.equals(p.outcome) && !FAILED.equals(p.outcome) && !SKIPPED.equals(p.outcome)) {
      p.after = after;
      p.judgedAt = clock.now();
      finish(p, helped ? HELPED : NOT_HELPED, null);
      if (helped) {
        r.helped++;
        r.misses = 0;
        r.helpedOnce = true;
      } else if (++r.misses >= MISSES_TO_STOP) {
        r.stopped =
            MISSES_TO_STOP
                + " runs in a row did not help ("
                + p.figure
                + " no lower after each): the rule runs no more; the cause needs a person";
        NovaLog.line(
            LOGGER,
            true,
            "autopilot stopped rule " + r.code() + "=" + r.remedy.action() + ": " + r.stopped);
      }
      log(p, "judged");
    }
  }

  private void finish(Run run, String outcome, String reason) {
    run.outcome = outcome;
    run.reason = reason;
    if (SKIPPED.equals(outcome)) {
      log(run, "skipped");
    }
    try {
      Counter.builder(Meters.AUTOPILOT_RUNS.name())
          .description(Meters.AUTOPILOT_RUNS.description())
          .tag("code", run.code)
          .tag("action", run.action)
          .tag("outcome", outcome)
          .register(registry)
          .increment();
    } catch (Throwable t) {
      health.recordSuppressed("autopilot meter", t);
    }
  }

  private void keep(Run run) {
    if (runs.size() == RUNS_KEPT) {
      runs.removeFirst();
    }
    runs.addLast(run);
  }

  private static void log(Run run, String event) {
    if (NovaLog.json()) {
      Map<String, Object> m = run.render();
      m.put("logger", LOGGER);
      m.put("event", event);
      NovaLog.line(LOGGER, false, Json.line(m));
      return;
    }
    StringBuilder b =
        new StringBuilder("autopilot ")
            .append(event)
            .append(' ')
            .append(run.code)
            .append(' ')
            .append(run.action)
            .append(" params=")
            .append(run.params)
            .append(" mode=")
            .append(run.dryRun ? DRY_RUN : "on")
            .append(" outcome=")
            .append(run.outcome);
    if (run.status != 0) {
      b.append(" status=").append(run.status);
    }
    if (run.result != null) {
      b.append(" result=").append(run.result);
    }
    b.append(' ').append(run.figure).append('=').append(run.before);
    if (run.after != null) {
      b.append("->").append(run.after);
    }
    if (run.reason != null) {
      b.append(" reason=\"").append(run.reason.replace('"', '\'')).append('"');
    }
    NovaLog.line(LOGGER, false, b.toString());
  }

  /**
   * An action's answer, kept small: its top-level members, with each list of more than five entries
   * as its size (a run that closed a thousand connections keeps the count, not the list).
   */
  static Map<String, Object> summary(Map<String, Object> body) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : body.entrySet()) {
      String k = e.getKey();
      if (k.equals("action") || k.equals("params") || k.equals(ActionRequest.DRY_RUN)) {
        continue; // the run says them itself
      }
      Object v = e.getValue();
      out.put(k, v instanceof List<?> l && l.size() > 5 ? l.size() : v);
    }
    return out;
  }

  /** The report's {@code autopilot} section. */
  private Map<String, Object> section() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", dryRun ? DRY_RUN : "on");
    m.put("every", dev.nova.core.config.Durations.format(every));
    List<Map<String, Object>> shown = new ArrayList<>();
    List<Map<String, Object>> list = new ArrayList<>();
    synchronized (lock) {
      for (Rule r : rules) {
        shown.add(rule(r));
      }
      for (Run run : runs) {
        list.add(0, run.render()); // most recent first
      }
    }
    m.put("rules", shown);
    m.put("refused", refused);
    m.put("runs", list);
    return m;
  }

  private static Map<String, Object> rule(Rule r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", r.code());
    m.put("action", r.remedy.action());
    m.put("params", r.remedy.paramsText());
    m.put("figure", r.remedy.figure());
    m.put("runs", r.runs);
    m.put("helped", r.helped);
    m.put("notHelpedInARow", r.misses);
    m.put("recurring", r.recurrences > 0);
    m.put("recurrences", r.recurrences);
    m.put("state", r.stopped != null ? "stopped" : r.pending != null ? "judging" : "watching");
    if (r.stopped != null) {
      m.put("stopped", r.stopped);
    }
    return m;
  }

  /** A finding whose rule ran, with what the autopilot did under {@code evidence.autopilot}. */
  private Finding decorate(Finding f) {
    Evidence note;
    synchronized (lock) {
      Rule r = null;
      for (Rule x : rules) {
        if (x.code().equals(f.code())) {
          r = x;
        }
      }
      if (r == null || r.runs == 0) {
        return f;
      }
      Evidence.Builder b =
          Evidence.builder()
              .put("rule", r.code() + "=" + r.remedy.action())
              .put("mode", dryRun ? DRY_RUN : "on")
              .put("runs", r.runs)
              .put("helped", r.helped)
              .put("recurring", r.recurrences > 0);
      if (r.recurrences > 0) {
        b.put("recurrences", r.recurrences);
        b.put(
            "note",
            "it came back after a run that helped: the cause is still in the code"
                + (f.where() != null ? " (" + f.where() + ")" : ""));
      }
      if (r.stopped != null) {
        b.put("stopped", r.stopped);
      }
      Run last = lastRun(r.code());
      if (last != null) {
        b.put("lastRun", last.at.toString());
        b.put("lastOutcome", last.outcome);
      }
      note = b.build();
    }
    return new Finding(
        f.code(),
        f.severity(),
        f.title(),
        f.evidence().with(Options.AUTOPILOT.key(), note),
        f.actions(),
        f.where());
  }

  private Run lastRun(String code) {
    Run last = null;
    for (Run run : runs) {
      if (run.code.equals(code)) {
        last = run;
      }
    }
    return last;
  }

  /**
   * The last run for {@code code} in a line (the Alertmanager alert's {@code autopilot}
   * annotation), or null when its rule has not run.
   */
  public String noteFor(String code) {
    synchronized (lock) {
      Run last = lastRun(code);
      if (last == null) {
        return null;
      }
      return last.action
          + (last.dryRun ? " (dry run)" : "")
          + " at "
          + last.at
          + ": "
          + last.outcome
          + (last.result != null ? " " + last.result : "");
    }
  }
}
