package dev.nova.core.jvm;

import dev.nova.core.diagnosis.SignalSource;
import dev.nova.core.meter.Meters;
import dev.nova.core.util.Redaction;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline every Nova has from its first second, read from the JVM's MXBeans: heap, GC,
 * threads, and what this JVM is (version, uptime, arguments with secrets masked, other agents).
 */
public final class JvmSignals {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
  private final List<String> inputArguments;
  private final List<String> otherAgents;

  public JvmSignals() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p);
      }
    }
    List<String> args = new ArrayList<>();
    List<String> agents = new ArrayList<>();
    for (String a : runtime.getInputArguments()) {
      String redacted = Redaction.redact(a);
      args.add(redacted);
      if (a.startsWith("-javaagent:") && !isNovaAgent(a)) {
        agents.add(redacted.substring("-javaagent:".length()));
      } else if (a.startsWith("-agentlib:") || a.startsWith("-agentpath:")) {
        agents.add(redacted);
      }
    }
    this.inputArguments = List.copyOf(args);
    this.otherAgents = List.copyOf(agents);
  }

  private static boolean isNovaAgent(String arg) {
    String path = arg.substring("-javaagent:".length());
    int eq = path.indexOf('=');
    String jar = eq < 0 ? path : path.substring(0, eq);
    return jar.endsWith("nova-agent.jar");
  }

  /** Live heap after the last collection, summed over heap pools; -1 before the first GC. */
  public long heapAfterLastGc() {
    long sum = 0;
    boolean any = false;
    for (MemoryPoolMXBean p : heapPools) {
      MemoryUsage u = p.getCollectionUsage();
      if (u != null && u.getUsed() >= 0) {
        sum += u.getUsed();
        any = any || u.getUsed() > 0;
      }
    }
    return any ? sum : -1;
  }

  public long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  public long gcTimeMillis() {
    long n = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      n += Math.max(0, gc.getCollectionTime());
    }
    return n;
  }

  /** {@code signals.heap}. */
  public SignalSource heap() {
    return SignalSource.of(
        "heap",
        () -> {
          MemoryUsage h = memory.getHeapMemoryUsage();
          MemoryUsage nh = memory.getNonHeapMemoryUsage();
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("usedBytes", h.getUsed());
          m.put("committedBytes", h.getCommitted());
          m.put("maxBytes", h.getMax());
          m.put("afterLastGcBytes", heapAfterLastGc());
          m.put("nonHeapUsedBytes", nh.getUsed());
          Map<String, Object> gc = new LinkedHashMap<>();
          for (GarbageCollectorMXBean c : collectors) {
            gc.put(
                c.getName(),
                Map.of("count", c.getCollectionCount(), "timeMs", c.getCollectionTime()));
          }
          m.put("gc", gc);
          m.put("gcCount", gcCount());
          m.put("gcTimeMs", gcTimeMillis());
          return m;
        });
  }

  /** {@code signals.threads}. */
  public SignalSource threads() {
    return SignalSource.of(
        "threads",
        () -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("live", threads.getThreadCount());
          m.put("daemon", threads.getDaemonThreadCount());
          m.put("peak", threads.getPeakThreadCount());
          m.put("startedTotal", threads.getTotalStartedThreadCount());
          return m;
        });
  }

  /** {@code signals.jvm}: what this JVM is. */
  public SignalSource jvm() {
    return SignalSource.of(
        "jvm",
        () -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("pid", ProcessHandle.current().pid());
          m.put("version", Runtime.version().toString());
          m.put("vendor", System.getProperty("java.vendor", "?"));
          m.put("vm", runtime.getVmName());
          m.put("uptimeMs", runtime.getUptime());
          m.put("availableProcessors", Runtime.getRuntime().availableProcessors());
          m.put("inputArguments", inputArguments);
          m.put("otherAgents", otherAgents);
          return m;
        });
  }

  /** Registers {@code nova_heap_*}, {@code nova_gc_*} and {@code nova_threads_*} meters. */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(Meters.HEAP_USED.name(), memory, m -> m.getHeapMemoryUsage().getUsed())
        .baseUnit("bytes")
        .description(Meters.HEAP_USED.description())
        .register(registry);
    Gauge.builder(Meters.HEAP_MAX.name(), memory, m -> m.getHeapMemoryUsage().getMax())
        .baseUnit("bytes")
        .description(Meters.HEAP_MAX.description())
        .register(registry);
    Gauge.builder(Meters.HEAP_AFTER_GC.name(), this, JvmSignals::heapAfterLastGc)
        .baseUnit("bytes")
        .description(Meters.HEAP_AFTER_GC.description())
        .register(registry);
    FunctionCounter.builder(Meters.GC_COLLECTIONS.name(), this, JvmSignals::gcCount)
        .description(Meters.GC_COLLECTIONS.description())
        .register(registry);
    FunctionCounter.builder(Meters.GC_TIME.name(), this, s -> s.gcTimeMillis() / 1000.0)
        .baseUnit("seconds")
        .description(Meters.GC_TIME.description())
        .register(registry);
    Gauge.builder(Meters.THREADS_LIVE.name(), threads, ThreadMXBean::getThreadCount)
        .description(Meters.THREADS_LIVE.description())
        .register(registry);
    Gauge.builder(Meters.THREADS_DAEMON.name(), threads, ThreadMXBean::getDaemonThreadCount)
        .description(Meters.THREADS_DAEMON.description())
        .register(registry);
    Gauge.builder(Meters.THREADS_PEAK.name(), threads, ThreadMXBean::getPeakThreadCount)
        .description(Meters.THREADS_PEAK.description())
        .register(registry);
  }
}
