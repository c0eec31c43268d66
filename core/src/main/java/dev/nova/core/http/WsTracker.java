package dev.nova.core.http;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.meter.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * WebSocket sessions for runbook scenario 2: upgrades accepted and refused, sessions open per
 * route, frames, last activity, close codes and who closed, durations. Sessions hold their channel
 * weakly; a session whose channel is gone, or that is idle past {@code ws.idle}, is what {@code
 * WS_SESSION_LEAK} reports. Connects and disconnects are counted in one-minute slices over the last
 * {@link #MINUTES} minutes for the spike and churn detectors.
 */
public final class WsTracker {
  static final long SLICE = 10_000_000_000L;

  /** Ten-second slices: the last minute is the current slice and the six before it. */
  static final int RECENT = 7;

  static final int MINUTES = 66; // slices kept: 11 minutes
  static final int MAX_SESSIONS = 200_000;

  /** Who ended a session. */
  public enum Side {
    CLIENT,
    SERVER,
    ABNORMAL;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One open session. Frame counts are written by its connection's thread only. */
  public static final class Session {
    final String route;
    final long opened;
    final WeakReference<Object> channel;
    volatile long lastActivity;

    /** The last frame from the client: a zombie's server keeps writing into a dead socket. */
    volatile long lastInbound;

    volatile long framesIn;
    volatile long framesOut;

    /**
     * Frames from the client are not visible for this session (a library-wrapped endpoint whose
     * handler's message type the container's API cannot be told): never idle, since unknown.
     */
    volatile boolean framesUnseen;

    volatile int closeReceived = -1;
    volatile int closeSent = -1;
    volatile boolean clientClosedFirst;
    int closedSightings; // the detector thread's own

    Session(String route, Object channel, long now) {
      this.route = route;
      this.opened = now;
      this.lastActivity = now;
      this.lastInbound = now;
      this.channel = new WeakReference<>(channel);
    }

    public String route() {
      return route;
    }

    public Object channel() {
      return channel.get();
    }

    /** How long the client has said nothing, or 0 when its frames are not visible. */
    public long silentNanos(long now) {
      return framesUnseen ? 0 : now - lastInbound;
    }
  }

  private static final class Minute {
    long index = Long.MIN_VALUE;
    long connects;
    long disconnects;
    final Map<String, Long> byCodeAndSide = new HashMap<>();
    final Map<String, Long> refusedByStatus = new HashMap<>();
    long shortLived;
  }

  private final NovaClock clock;
  private final MeterRegistry registry;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> openByRoute = new ConcurrentHashMap<>();
  private final Map<String, Counter> disconnectCounters = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> upgradeCounters = new ConcurrentHashMap<>();
  private final Minute[] minutes = new Minute[MINUTES];
  private final Counter framesIn;
  private final Counter framesOut;
  private final io.micrometer.core.instrument.Timer durations;
  private final long firstSlice;

  public WsTracker(NovaClock clock, MeterRegistry registry) {
    this.clock = clock;
    this.registry = registry;
    for (int i = 0; i < MINUTES; i++) {
      minutes[i] = new Minute();
    }
    firstSlice = Math.floorDiv(clock.nanoTime(), SLICE);
    durations =
        io.micrometer.core.instrument.Timer.builder(Meters.WS_SESSION_DURATION.name())
            .description(Meters.WS_SESSION_DURATION.description())
            .serviceLevelObjectives(
                java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(10),
                java.time.Duration.ofMinutes(1),
                java.time.Duration.ofMinutes(10),
                java.time.Duration.ofHours(1))
            .register(registry);
    framesIn =
        Counter.builder(Meters.WS_FRAMES.name())
            .tag("direction", "in")
            .description(Meters.WS_FRAMES.description())
            .register(registry);
    framesOut =
        Counter.builder(Meters.WS_FRAMES.name())
            .tag("direction", "out")
            .description(Meters.WS_FRAMES.description())
            .register(registry);
  }

  private Minute minute(long now) {
    long index = Math.floorDiv(now, SLICE);
    Minute m = minutes[(int) Math.floorMod(index, (long) MINUTES)];
    if (m.index != index) {
      m.index = index;
      m.connects = 0;
      m.disconnects = 0;
      m.shortLived = 0;
      m.byCodeAndSide.clear();
      m.refusedByStatus.clear();
    }
    return m;
  }

  /** An upgrade answered 101: a new session. */
  public Session opened(String route, Object channel, long now) {
    upgrade(101);
    if (sessions.size() >= MAX_SESSIONS) {
      return null;
    }
    Session s = new Session(route, channel, now);
    sessions.add(s);
    open(route).incrementAndGet();
    synchronized (this) {
      minute(clock.nanoTime()).connects++;
    }
    return s;
  }

  private AtomicLong open(String route) {
    AtomicLong n = openByRoute.get(route);
    if (n == null) {
      n =
          openByRoute.computeIfAbsent(
              route,
              r -> {
                AtomicLong count = new AtomicLong();
                Gauge.builder(Meters.WS_CONNECTIONS.name(), count, AtomicLong::get)
                    .description(Meters.WS_CONNECTIONS.description())
                    .tag("route", r)
                    .register(registry);
                return count;
              });
    }
    return n;
  }

  /** An upgrade refused with this status (runbook 2.1: 400, 401, 404). */
  public void refused(String route, int status) {
    upgrade(status);
    synchronized (this) {
      minute(clock.nanoTime()).refusedByStatus.merge(Integer.toString(status), 1L, Long::sum);
    }
  }

  private void upgrade(int status) {
    upgradeCounters
        .computeIfAbsent(
            status,
            s ->
                Counter.builder(Meters.WS_UPGRADES.name())
                    .description(Meters.WS_UPGRADES.description())
                    .tag("status", Integer.toString(s))
                    .register(registry))
        .increment();
  }

  /** Frames from the client will not be seen for {@code s}: it is never counted idle. */
  public void framesUnseen(Session s) {
    if (s != null) {
      s.framesUnseen = true;
    }
  }

  /** A frame; {@code closeCode} is the close frame's status, or -1 for any other frame. */
  public void frame(Session s, boolean in, int closeCode, long now) {
    if (s == null) {
      return;
    }
    s.lastActivity = now;
    if (in) {
      s.lastInbound = now;
      s.framesIn++;
      framesIn.increment();
    } else {
      s.framesOut++;
      framesOut.increment();
    }
    if (closeCode >= 0) {
      closeFrame(s, in, closeCode, now);
    }
  }

  /**
   * A close frame's status, received ({@code in}) or sent, for hosts that report the frame itself
   * separately (servlet containers); the first close frame seen decides who closed.
   */
  public void closeFrame(Session s, boolean in, int closeCode, long now) {
    if (s == null) {
      return;
    }
    s.lastActivity = now;
    if (in) {
      if (s.closeReceived < 0) {
        s.closeReceived = closeCode;
        if (s.closeSent < 0) {
          s.clientClosedFirst = true;
        }
      }
    } else if (s.closeSent < 0) {
      s.closeSent = closeCode;
    }
  }

  /** The session's connection closed. */
  public void closed(Session s, long now) {
    if (s == null || !sessions.remove(s)) {
      return;
    }
    open(s.route).decrementAndGet();
    durations.record(Math.max(0, now - s.opened), java.util.concurrent.TimeUnit.NANOSECONDS);
    Side side;
    int code;
    if (s.clientClosedFirst) {
      side = Side.CLIENT;
      code = s.closeReceived;
    } else if (s.closeSent >= 0) {
      side = Side.SERVER;
      code = s.closeSent;
    } else {
      side = Side.ABNORMAL;
      code = 1006;
    }
    // close codes come from clients: past 64 distinct kinds the rest are "other" (bounded meters)
    String codeText = Integer.toString(code);
    if (disconnectCounters.size() >= 64 && !disconnectCounters.containsKey(codeText + ' ' + side)) {
      codeText = "other";
    }
    disconnectCounters
        .computeIfAbsent(
            codeText + ' ' + side,
            k ->
                Counter.builder(Meters.WS_DISCONNECTS.name())
                    .description(Meters.WS_DISCONNECTS.description())
                    .tag("code", k.substring(0, k.indexOf(' ')))
                    .tag("side", side.label())
                    .register(registry))
        .increment();
    synchronized (this) {
      Minute m = minute(clock.nanoTime());
      m.disconnects++;
      m.byCodeAndSide.merge(codeText + "/" + side.label(), 1L, Long::sum);
      if (now - s.opened < 10_000_000_000L) {
        m.shortLived++;
      }
    }
  }

  public NovaClock clock() {
    return clock;
  }

  public int openSessions() {
    return sessions.size();
  }

  /** Open sessions matching a test (idle, gone...). */
  public List<Session> sessions(Predicate<Session> which) {
    List<Session> out = new ArrayList<>();
    for (Session s : sessions) {
      if (which.test(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Forgets a session whose channel is gone (after it has been reported). */
  public void forget(Session s) {
    closed(s, clock.nanoTime());
  }

  /** Connects, disconnects and their split, for the last minute and the minutes before it. */
  public record Rates(
      long connectsLastMinute,
      long disconnectsLastMinute,
      double baselineDisconnectsPerMinute,
      int baselineMinutes,
      Map<String, Long> byCodeAndSide,
      Map<String, Long> refusedByStatus,
      long shortLivedLastMinute) {}

  /**
   * The last minute (the current ten-second slice and the six before it, so 60 to 70 s, counted
   * exactly) and the per-minute baseline of the ten minutes before that.
   */
  public synchronized Rates rates() {
    long now = clock.nanoTime();
    long index = Math.floorDiv(now, SLICE);
    minute(now);
    long connects = 0;
    long disconnects = 0;
    long shortLived = 0;
    Map<String, Long> split = new LinkedHashMap<>();
    Map<String, Long> refused = new LinkedHashMap<>();
    long total = 0;
    int n = 0;
    for (long i = index - MINUTES + 1; i <= index; i++) {
      Minute m = minutes[(int) Math.floorMod(i, (long) MINUTES)];
      if (i < firstSlice) {
        continue; // before Nova watched: no baseline
      }
      boolean valid = m.index == i; // a slice nothing touched had no event
      if (i > index - RECENT) {
        if (!valid) {
          continue;
        }
        connects += m.connects;
        disconnects += m.disconnects;
        shortLived += m.shortLived;
        m.byCodeAndSide.forEach((k, v) -> split.merge(k, v, Long::sum));
        m.refusedByStatus.forEach((k, v) -> refused.merge(k, v, Long::sum));
      } else {
        total += valid ? m.disconnects : 0;
        n++;
      }
    }
    return new Rates(
        connects, disconnects, n == 0 ? 0 : total * 6.0 / n, n / 6, split, refused, shortLived);
  }

  /** {@code signals.websocket}. */
  public Map<String, Object> snapshot(long idleNanos) {
    Rates r = rates();
    if (sessions.isEmpty() && r.connectsLastMinute() == 0 && r.disconnectsLastMinute() == 0) {
      if (openByRoute.isEmpty()) {
        return null;
      }
    }
    long now = clock.nanoTime();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("openSessions", sessions.size());
    Map<String, Long> byRoute = new java.util.TreeMap<>();
    openByRoute.forEach((k, v) -> byRoute.put(k, v.get()));
    m.put("openByRoute", byRoute);
    m.put("connectsLastMinute", r.connectsLastMinute());
    m.put("disconnectsLastMinute", r.disconnectsLastMinute());
    m.put("baselineDisconnectsPerMinute", HttpSignals.round(r.baselineDisconnectsPerMinute()));
    m.put("closeCodesLastMinute", r.byCodeAndSide());
    m.put("refusedUpgradesLastMinute", r.refusedByStatus());
    Session oldest = null;
    Session idlest = null;
    long idle = 0;
    for (Session s : sessions) {
      if (oldest == null || s.opened < oldest.opened) {
        oldest = s;
      }
      if (idlest == null || s.silentNanos(now) > idlest.silentNanos(now)) {
        idlest = s;
      }
      if (s.silentNanos(now) >= idleNanos) {
        idle++;
      }
    }
    m.put("idleSessions", idle);
    if (oldest != null) {
      m.put("oldest", describe(oldest, now));
      m.put("idlest", describe(idlest, now));
    }
    return m;
  }

  static Map<String, Object> describe(Session s, long now) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("route", s.route);
    d.put("openSeconds", (now - s.opened) / 1_000_000_000L);
    if (s.framesUnseen) {
      d.put("framesUnseen", true);
    } else {
      d.put("silentSeconds", s.silentNanos(now) / 1_000_000_000L);
    }
    d.put("idleSeconds", (now - s.lastActivity) / 1_000_000_000L);
    d.put("framesIn", s.framesIn);
    d.put("framesOut", s.framesOut);
    return d;
  }
}
