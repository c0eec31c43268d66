package dev.nova.core.jvm;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.config.Options;

/**
 * What this JVM is, its {@code nova_heap_*}, {@code nova_gc_*} and {@code nova_threads_*} meters,
 * and the one JFR stream the heap and threads areas read from (started once they have added their
 * events, stopped when Nova closes).
 */
public final class JvmArea implements Area {
  private JvmSignals signals;
  private JfrStream jfr;

  @Override
  public String name() {
    return "jvm";
  }

  @Override
  public void install(Wiring w) {
    signals = new JvmSignals();
    jfr = new JfrStream(w.health());
    signals.bindTo(w.registry());
    w.signal(signals.jvm());
    boolean useJfr = w.config().get(Options.JFR);
    java.time.Duration delay = w.config().get(Options.JFR_DELAY);
    w.onStart(() -> jfr.startAfter(useJfr, delay));
    w.onClose(jfr);
  }

  /** The JVM's own counters (heap, GC, threads); there once this area is installed. */
  public JvmSignals signals() {
    return signals;
  }

  /** The shared JFR stream: add events to it at install time, before Nova starts. */
  public JfrStream jfr() {
    return jfr;
  }
}
