package dev.nova.core.heap;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.jvm.JvmArea;
import java.time.Duration;
import java.util.Map;

/**
 * The heap (runbook scenario 5): the after-GC series from the JVM's GC notifications, the GC share,
 * allocation sampling and leak candidates from JFR; {@code HEAP_GROWTH}, {@code HEAP_PRESSURE},
 * {@code GC_PRESSURE}; the {@code heap-dump} action. Both samplings are optional work that
 * self-protection may stop.
 */
public final class HeapArea implements Area {
  private static final Duration ALLOCATION_WINDOW = Duration.ofMinutes(1);

  private final JvmArea jvm;
  private HeapMonitor heap;

  public HeapArea(JvmArea jvm) {
    this.jvm = jvm;
  }

  @Override
  public String name() {
    return "heap";
  }

  @Override
  public void install(Wiring w) {
    NovaConfig config = w.config();
    heap = new HeapMonitor(w.clock(), w.health());
    GcShare gcShare =
        new GcShare(
            w.clock(), jvm.signals()::gcTimeMillis, config.get(Options.GC_WINDOW).toNanos());
    AllocationMonitor allocations =
        new AllocationMonitor(
            w.clock(),
            w.health(),
            jvm.jfr(),
            ALLOCATION_WINDOW.toNanos(),
            config.get(Options.JFR_ALLOCATIONS));
    LeakCandidates leakCandidates = new LeakCandidates(w.clock(), w.health());
    w.optional("allocation sampling", allocations::shed, allocations::resume);
    w.optional("old-object sampling", leakCandidates::shed, leakCandidates::resume);
    Duration window = config.get(Options.HEAP_WINDOW);
    w.detector(
        new HeapDetector(
            heap,
            gcShare,
            window,
            config.get(Options.HEAP_PRESSURE),
            config.get(Options.GC_SHARE),
            heap::maxHeap,
            allocations,
            leakCandidates,
            w.hold()));
    w.signal(
        heap.signal(
            jvm.signals().heap(),
            window.toNanos(),
            gcShare,
            () -> {
              Map<String, Object> m = allocations.snapshot();
              m.put("leakCandidates", leakCandidates.status());
              return m;
            }));
    w.action(
        new HeapDumpAction(
            config.get(Options.HEAP_DUMP), config.get(Options.HEAP_DUMP_DIR), w.clock()));
    boolean oldObjects = config.get(Options.JFR) && config.get(Options.JFR_OLD_OBJECTS);
    w.onStart(heap::start);
    w.onStart(() -> leakCandidates.start(oldObjects));
    w.onClose(heap);
    w.onClose(leakCandidates);
  }

  /**
   * Live heap after the last collection over the maximum, or a negative while unknown: what
   * self-protection watches.
   */
  public double liveShare() {
    HeapMonitor h = heap;
    return h == null ? -1 : h.lastShare();
  }
}
