package dev.nova.core.cpu;

import dev.nova.core.jdbc.AppFrames;
import dev.nova.core.jvm.JfrStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Execution samples added up: per method where the sampled thread was (self) and per method on its
 * stack (total), the application's methods named first, one stack kept for each, and the folded
 * stacks ({@code frame;frame;frame count}, root first: what flame-graph tools read). Bounded: at
 * most {@link #MAX_KEYS} methods and {@link #MAX_STACKS} distinct stacks are kept; samples beyond
 * are counted in the totals only.
 */
final class HotMethods {
  static final int MAX_KEYS = 2_000;
  static final int MAX_STACKS = 5_000;
  static final int STACK_DEPTH = 64;

  private final Map<String, long[]> self = new HashMap<>();
  private final Map<String, long[]> total = new HashMap<>();
  private final Map<String, List<String>> stackOf = new HashMap<>();
  private final Map<String, long[]> folded = new HashMap<>();
  private final Map<String, long[]> appFirst = new HashMap<>();
  private final Map<String, long[]> byThread = new HashMap<>();
  private long samples;

  /** A JFR execution sample. */
  void add(RecordedEvent e) {
    RecordedThread t = e.getThread("sampledThread");
    add(JfrStream.trace(e.getStackTrace()), t == null ? null : t.getJavaName());
  }

  /** One stack of one thread, from JFR or from the JVM's thread bean; top frame first. */
  synchronized void add(StackTraceElement[] trace, String thread) {
    if (trace.length == 0) {
      return;
    }
    samples++;
    if (thread != null) {
      bump(byThread, thread, 64);
    }
    String top = frame(trace[0]);
    bump(self, top, MAX_KEYS);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (StackTraceElement f : trace) {
      String m = frame(f);
      if (seen.add(m)) {
        bump(total, m, MAX_KEYS);
      }
    }
    // the first application frame from the top (lambdas' synthetic frames skipped): the code a
    // person would change, each sample counted there once
    int first = 0;
    while (first < trace.length && !isApplication(trace[first].getClassName())) {
      first++;
    }
    if (first < trace.length) {
      String key = frame(trace[first]);
      bump(appFirst, key, MAX_KEYS);
      if (!stackOf.containsKey(key) && stackOf.size() < MAX_KEYS) {
        StackTraceElement[] from = java.util.Arrays.copyOfRange(trace, first, trace.length);
        stackOf.put(key, dev.nova.core.finding.StackFrames.format(from, 12));
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = Math.min(trace.length, STACK_DEPTH) - 1; i >= 0; i--) {
      b.append(frame(trace[i]));
      if (i > 0) {
        b.append(';');
      }
    }
    bump(folded, b.toString(), MAX_STACKS);
  }

  private static void bump(Map<String, long[]> m, String k, int max) {
    long[] c = m.get(k);
    if (c == null) {
      if (m.size() >= max) {
        return;
      }
      c = new long[1];
      m.put(k, c);
    }
    c[0]++;
  }

  static boolean isApplication(String className) {
    return !AppFrames.isInfrastructure(className) && !className.contains("$$Lambda");
  }

  static String frame(StackTraceElement f) {
    return f.getClassName() + "." + f.getMethodName();
  }

  synchronized long samples() {
    return samples;
  }

  /**
   * The hottest application methods: each sample counted at its first application frame from the
   * top, with that share, the method's own (self) share, and a stack from it down.
   */
  synchronized List<Map<String, Object>> hottestApplication(int n) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : top(appFirst, n)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", e.getKey());
      m.put("shareOfSamples", share(e.getValue()[0]));
      long[] s = self.get(e.getKey());
      m.put("selfShare", share(s == null ? 0 : s[0]));
      List<String> stack = stackOf.get(e.getKey());
      if (stack != null) {
        m.put("stack", stack);
      }
      out.add(m);
    }
    return out;
  }

  synchronized List<Map<String, Object>> top(boolean selfTime, int n) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : top(selfTime ? self : total, n)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", e.getKey());
      m.put("share", share(e.getValue()[0]));
      m.put("samples", e.getValue()[0]);
      out.add(m);
    }
    return out;
  }

  synchronized List<Map<String, Object>> threads(int n) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : top(byThread, n)) {
      out.add(Map.of("thread", e.getKey(), "shareOfSamples", share(e.getValue()[0])));
    }
    return out;
  }

  /** Folded stacks, most sampled first, at most {@code n} lines. */
  synchronized List<String> collapsed(int n) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : top(folded, n)) {
      out.add(e.getKey() + " " + e.getValue()[0]);
    }
    return out;
  }

  private static List<Map.Entry<String, long[]>> top(Map<String, long[]> m, int n) {
    List<Map.Entry<String, long[]>> l = new ArrayList<>(m.entrySet());
    l.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    return l.subList(0, Math.min(n, l.size()));
  }

  private double share(long count) {
    return samples == 0 ? 0 : Math.round(count * 1000.0 / samples) / 1000.0;
  }

  synchronized void clear() {
    self.clear();
    total.clear();
    stackOf.clear();
    folded.clear();
    appFirst.clear();
    byThread.clear();
    samples = 0;
  }
}
