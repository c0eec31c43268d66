package dev.nova.core.heap;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.health.NovaHealth;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The live heap after every garbage collection, from the JVM's GC notifications: each point is the
 * heap in use right after a collection (the live set plus what that collection left), marked major
 * when the collection was a full or old one. Bounded; nothing is kept of the host's objects.
 */
public final class HeapMonitor implements AutoCloseable {
  static final int MAX_POINTS = 1_024;

  /** One collection's outcome. */
  public record Point(long at, long usedAfter, boolean major, String collector, long durationMs) {}

  private final NovaClock clock;
  private final NovaHealth health;
  private final Deque<Point> points = new ArrayDeque<>();
  private final Set<String> heapPools = new HashSet<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::handle;
  private volatile String problem;

  public HeapMonitor(NovaClock clock, NovaHealth health) {
    this.clock = clock;
    this.health = health;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    health.track("heap-points", () -> size(), 64);
  }

  /** Subscribes to GC notifications; without them (not HotSpot) the report says so. */
  public void start() {
    try {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter e) {
          e.addNotificationListener(listener, null, null);
          emitters.add(e);
        }
      }
      if (emitters.isEmpty()) {
        problem = "this JVM sends no GC notifications: heap trends are unavailable";
      }
    } catch (RuntimeException | LinkageError e) {
      problem = "GC notifications unavailable: " + e;
    }
  }

  private void handle(Notification n, Object handback) {
    try {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
        return;
      }
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long used = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          used += e.getValue().getUsed();
        }
      }
      boolean major = info.getGcAction().contains("major");
      record(
          new Point(
              clock.nanoTime(), used, major, info.getGcName(), info.getGcInfo().getDuration()));
    } catch (Throwable t) {
      health.recordSuppressed("heap monitor", t);
    }
  }

  /** Adds a point (the GC listener does; tests do too). */
  public void record(Point p) {
    synchronized (points) {
      if (points.size() == MAX_POINTS) {
        points.removeFirst();
      }
      points.addLast(p);
    }
  }

  /** The points no older than {@code windowNanos}, oldest first. */
  public List<Point> since(long windowNanos) {
    long from = clock.nanoTime() - windowNanos;
    List<Point> out = new ArrayList<>();
    synchronized (points) {
      for (Point p : points) {
        if (p.at() >= from) {
          out.add(p);
        }
      }
    }
    return out;
  }

  public int size() {
    synchronized (points) {
      return points.size();
    }
  }

  /** The live heap after the last collection over the maximum, or -1 when unknown. */
  public double lastShare() {
    long max = maxHeap();
    synchronized (points) {
      Point p = points.peekLast();
      return p == null || max <= 0 ? -1 : (double) p.usedAfter() / max;
    }
  }

  /** The maximum heap, or -1 when the JVM has none set. */
  public long maxHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
  }

  public String problem() {
    return problem;
  }

  /** What {@code signals.heap} adds to the MXBean baseline. */
  public Map<String, Object> extra(long seriesWindowNanos) {
    Map<String, Object> m = new LinkedHashMap<>();
    long now = clock.nanoTime();
    List<Point> recent = since(seriesWindowNanos);
    List<Object> series = new ArrayList<>();
    for (Point p : recent.subList(Math.max(0, recent.size() - 20), recent.size())) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("secondsAgo", (now - p.at()) / 1_000_000_000);
      row.put("liveMb", Math.round(p.usedAfter() / 104857.6) / 10.0);
      row.put("major", p.major());
      series.add(row);
    }
    m.put("afterGcSeries", series);
    Map<String, Object> buffers = new LinkedHashMap<>();
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      buffers.put(
          b.getName(),
          Map.of(
              "count",
              b.getCount(),
              "usedBytes",
              b.getMemoryUsed(),
              "capacityBytes",
              b.getTotalCapacity()));
    }
    m.put("bufferPools", buffers);
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getName().equals("Metaspace")) {
        m.put("metaspaceUsedBytes", p.getUsage().getUsed());
      }
    }
    if (problem != null) {
      m.put("problem", problem);
    }
    return m;
  }

  /** {@code signals.heap}: the baseline plus the after-GC series, buffers and metaspace. */
  public SignalSource signal(
      SignalSource baseline,
      long seriesWindowNanos,
      GcShare share,
      java.util.function.Supplier<Map<String, Object>> more) {
    return SignalSource.of(
        "heap",
        () -> {
          Map<String, Object> m = new LinkedHashMap<>(baseline.snapshot());
          m.put("gcShare", share.share());
          m.putAll(extra(seriesWindowNanos));
          m.putAll(more.get());
          return m;
        });
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (Exception ignored) {
        // already gone
      }
    }
    emitters.clear();
  }
}
