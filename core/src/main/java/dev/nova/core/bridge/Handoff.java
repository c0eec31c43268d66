package dev.nova.core.bridge;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Objects handed from advice to Nova's core once it is up. What arrives before (the core starts
 * beside the application) is remembered weakly, at most {@code early} of them, and handed over at
 * {@link #install}. Typed on JDK classes only: the agent defines the bridge package in the
 * bootstrap class loader. {@link #offer} never throws.
 */
public final class Handoff {
  private final int early;
  private final List<WeakReference<Object>> waiting = new ArrayList<>();
  private volatile Consumer<Object> sink;

  public Handoff(int early) {
    this.early = early;
  }

  /** From now on objects go to {@code s}; the ones waiting go first. */
  public void install(Consumer<Object> s) {
    List<WeakReference<Object>> queued;
    synchronized (waiting) {
      sink = s;
      queued = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (WeakReference<Object> r : queued) {
      Object o = r.get();
      if (o != null) {
        offer(o);
      }
    }
  }

  /** Stops handing to {@code s} (if it is still the sink); objects wait again. */
  public void uninstall(Consumer<Object> s) {
    synchronized (waiting) {
      if (sink == s) {
        sink = null;
      }
    }
  }

  /** Hands {@code o} to the core, or keeps it (weakly, while there is room) until there is one. */
  public void offer(Object o) {
    try {
      if (o == null) {
        return;
      }
      Consumer<Object> s = sink;
      if (s == null) {
        synchronized (waiting) {
          if (sink == null) {
            if (waiting.size() < early) {
              waiting.add(new WeakReference<>(o));
            }
            return;
          }
          s = sink;
        }
      }
      s.accept(o);
    } catch (Throwable ignored) {
      // what Nova cannot take is left alone; the host is not told
    }
  }
}
