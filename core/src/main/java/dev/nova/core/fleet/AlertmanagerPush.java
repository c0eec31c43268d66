package dev.nova.core.fleet;

import dev.nova.core.config.Options;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.finding.ActionNames;
import dev.nova.core.finding.Finding;
import dev.nova.core.finding.FindingCodes;
import dev.nova.core.finding.Severity;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Nova's findings pushed to Alertmanager ({@code alertmanager}, {@code alertmanager.interval}), for
 * services whose Prometheus has no rules for them: every interval, and at once when a finding is
 * raised, changes or clears, the active ones are POSTed to each target's {@code /api/v2/alerts}
 * with an {@code endsAt} four intervals ahead (so that they resolve by themselves if this JVM
 * dies), and a cleared one is sent with its {@code endsAt} for {@link #RESOLVED_FOR} more, as
 * Alertmanager's clients do. The identity of an alert is its labels: {@code alertname} {@code
 * NovaFinding}, {@code code}, {@code severity} (lower case, for routing by the runbook's escalation
 * path), {@code instance} and {@code job}; a change of severity resolves the old identity and
 * starts the new.
 *
 * <p>All of it runs on one daemon thread of Nova's ({@code nova-alertmanager}), with a 2 s connect
 * and 5 s read timeout: an unreachable or failing Alertmanager is counted and shown ({@link
 * #snapshot}) and backed off (doubling up to {@link #MAX_BACKOFF}), and never blocks the host.
 */
final class AlertmanagerPush implements AutoCloseable {
  static final Duration RESOLVED_FOR = Duration.ofMinutes(5);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  static final int CONNECT_MS = 2_000;
  static final int READ_MS = 5_000;

  /** One alert identity and what is sent for it. */
  private static final class Alert {
    final String code;
    final Severity severity;
    final Instant startsAt;
    Finding finding;
    Instant endedAt;

    Alert(String code, Severity severity, Instant startsAt, Finding finding) {
      this.code = code;
      this.severity = severity;
      this.startsAt = startsAt;
      this.finding = finding;
    }
  }

  /** One Alertmanager and how talking to it goes. */
  private static final class Target {
    final URI base;
    final URI alerts;
    long sent;
    long failures;
    int consecutiveFailures;
    String lastError;
    Integer lastStatus;
    Instant lastSuccess;
    long nextAttemptNanos = Long.MIN_VALUE;

    Target(URI base) {
      this.base = base;
      String b = base.toString();
      this.alerts = URI.create((b.endsWith("/") ? b : b + "/") + "api/v2/alerts");
    }
  }

  private final NovaClock clock;
  private final NovaHealth health;
  private final Duration interval;
  private final Map<String, String> identity;
  private final Supplier<String> generatorUrl;
  private final List<Target> targets = new ArrayList<>();
  private final java.util.function.Function<String, String> incidentOf;
  private final java.util.function.Function<String, String> autopilotOf;
  private final Map<String, Alert> alerts = new LinkedHashMap<>(); // code/severity -> alert
  private volatile ScheduledExecutorService executor;

  AlertmanagerPush(
      List<URI> bases,
      Duration interval,
      Map<String, String> identity,
      Supplier<String> generatorUrl,
      NovaClock clock,
      NovaHealth health,
      java.util.function.Function<String, String> incidentOf,
      java.util.function.Function<String, String> autopilotOf) {
    this.incidentOf = incidentOf;
    this.autopilotOf = autopilotOf;
    this.clock = clock;
    this.health = health;
    this.interval = interval;
    this.identity = Map.copyOf(identity);
    this.generatorUrl = generatorUrl;
    for (URI b : bases) {
      targets.add(new Target(b));
    }
    health.track("alertmanager-alerts", this::size, 64);
  }

  private synchronized int size() {
    return alerts.size();
  }

  synchronized void start() {
    if (executor != null || targets.isEmpty()) {
      return;
    }
    ScheduledThreadPoolExecutor ex =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "nova-alertmanager");
              t.setDaemon(true);
              return t;
            });
    ex.setRemoveOnCancelPolicy(true);
    ex.scheduleWithFixedDelay(
        this::sendQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    executor = ex;
  }

  /** After a detector round: the active findings by code; a change sends at once. */
  void round(Map<String, Finding> active, boolean changed) {
    Instant now = clock.now();
    synchronized (this) {
      for (Alert a : alerts.values()) {
        Finding f = active.get(a.code);
        if (a.endedAt == null && (f == null || f.severity() != a.severity)) {
          a.endedAt = now;
        }
      }
      for (Finding f : active.values()) {
        String key = f.code() + "/" + f.severity();
        Alert a = alerts.get(key);
        if (a == null || a.endedAt != null) {
          alerts.put(key, new Alert(f.code(), f.severity(), now, f));
        } else {
          a.finding = f;
        }
      }
      for (Iterator<Alert> it = alerts.values().iterator(); it.hasNext(); ) {
        Alert a = it.next();
        if (a.endedAt != null && Duration.between(a.endedAt, now).compareTo(RESOLVED_FOR) > 0) {
          it.remove();
        }
      }
    }
    ScheduledExecutorService ex = executor;
    if (changed && ex != null) {
      try {
        ex.execute(this::sendQuietly);
      } catch (RuntimeException e) {
        // shutting down
      }
    }
  }

  private void sendQuietly() {
    try {
      send();
    } catch (Throwable t) {
      health.recordSuppressed("alertmanager", t);
    }
  }

  /** Sends the alerts to every target that is not backing off; on Nova's thread. */
  void send() {
    byte[] body;
    synchronized (this) {
      if (alerts.isEmpty()) {
        return;
      }
      body = Json.line(payload(clock.now())).getBytes(StandardCharsets.UTF_8);
    }
    long now = clock.nanoTime();
    for (Target t : targets) {
      synchronized (t) {
        if (t.nextAttemptNanos != Long.MIN_VALUE && now < t.nextAttemptNanos) {
          continue;
        }
      }
      post(t, body, now);
    }
  }

  private List<Object> payload(Instant now) {
    List<Object> out = new ArrayList<>();
    String url = generatorUrl.get();
    for (Alert a : alerts.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put("alertname", "NovaFinding");
      labels.put("code", a.code);
      labels.put("severity", a.severity.name().toLowerCase(java.util.Locale.ROOT));
      labels.putAll(identity);
      m.put("labels", labels);
      m.put("annotations", annotations(a));
      m.put("startsAt", a.startsAt.toString());
      m.put(
          "endsAt",
          (a.endedAt != null ? a.endedAt : now.plus(interval.multipliedBy(4))).toString());
      if (url != null) {
        m.put("generatorURL", url);
      }
      out.add(m);
    }
    return out;
  }

  private Map<String, Object> annotations(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("summary", a.finding.title());
    if (a.finding.where() != null) {
      m.put("where", a.finding.where());
    }
    String incident = incidentOf.apply(a.code);
    if (incident != null) {
      m.put(ActionNames.INCIDENT, incident); // the annotation is named like the action
    }
    String autopilot = autopilotOf.apply(a.code);
    if (autopilot != null) {
      m.put(Options.AUTOPILOT.key(), autopilot); // named like the option that turns it on
    }
    FindingCodes.of(a.code)
        .ifPresent(
            c -> {
              m.put("description", c.about());
              m.put("runbook_scenario", c.scenario());
            });
    if (!a.finding.actions().isEmpty()) {
      m.put(
          "remedy",
          "POST /debug/nova/actions/"
              + String.join(" or ", a.finding.actions())
              + " (bearer token), dry run first");
    }
    m.put("escalation", FindingCodes.ESCALATION.get(a.severity));
    return m;
  }

  private void post(Target t, byte[] body, long now) {
    String error = null;
    int status = -1;
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) t.alerts.toURL().openConnection();
      c.setConnectTimeout(CONNECT_MS);
      c.setReadTimeout(READ_MS);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream o = c.getOutputStream()) {
        o.write(body);
      }
      status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String answer = "";
      if (in != null) {
        try (in) {
          answer = new String(in.readNBytes(300), StandardCharsets.UTF_8).trim();
        }
      }
      if (status / 100 != 2) {
        error = "HTTP " + status + (answer.isEmpty() ? "" : ": " + answer);
      }
    } catch (IOException | RuntimeException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
    synchronized (t) {
      t.lastStatus = status < 0 ? null : status;
      if (error == null) {
        t.sent++;
        t.consecutiveFailures = 0;
        t.lastSuccess = clock.now();
        t.nextAttemptNanos = Long.MIN_VALUE;
      } else {
        t.failures++;
        t.consecutiveFailures++;
        t.lastError = error;
        long backoff =
            Math.min(
                MAX_BACKOFF.toNanos(),
                interval.toNanos() << Math.min(10, t.consecutiveFailures - 1));
        t.nextAttemptNanos = now + backoff;
      }
    }
  }

  /** The report's {@code agent.alertmanager}. */
  Map<String, Object> snapshot() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("interval", interval.toSeconds() + "s");
    synchronized (this) {
      int active = 0;
      for (Alert a : alerts.values()) {
        active += a.endedAt == null ? 1 : 0;
      }
      m.put("activeAlerts", active);
      m.put("resolvedBeingSent", alerts.size() - active);
    }
    List<Object> ts = new ArrayList<>();
    long now = clock.nanoTime();
    for (Target t : targets) {
      synchronized (t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("url", t.alerts.toString());
        r.put("sent", t.sent);
        r.put("failures", t.failures);
        if (t.lastStatus != null) {
          r.put("lastStatus", t.lastStatus);
        }
        if (t.lastError != null) {
          r.put("lastError", t.lastError);
        }
        if (t.lastSuccess != null) {
          r.put("lastSuccess", t.lastSuccess.toString());
        }
        if (t.nextAttemptNanos != Long.MIN_VALUE && t.nextAttemptNanos > now) {
          r.put("backingOffSeconds", (t.nextAttemptNanos - now) / 1_000_000_000L);
        }
        ts.add(r);
      }
    }
    m.put("targets", ts);
    return m;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
  }
}
