package dev.nova.core.bridge;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Objects handed from advice to Nova's core once it is up. What arrives before (the core starts
 * beside the application) is remembered, the object weakly and what comes with it (where it was
 * made) as it is, at most {@code early} of them, and handed over at {@link #install}. Typed on JDK
 * classes only: the agent defines the bridge package in the bootstrap class loader. {@link #offer}
 * never throws.
 */
public final class Handoff {
  private record Waiting(WeakReference<Object> object, Object with) {}

  private record Sink(Object owner, BiConsumer<Object, Object> to) {}

  private final int early;
  private final List<Waiting> waiting = new ArrayList<>();
  private volatile Sink sink;

  public Handoff(int early) {
    this.early = early;
  }

  /** From now on objects go to {@code s}; the ones waiting go first. */
  public void install(Consumer<Object> s) {
    install(s, (o, with) -> s.accept(o));
  }

  /**
   * From now on objects and what came with them go to {@code to}, installed for {@code owner} (what
   * {@link #uninstall} names); the ones waiting go first.
   */
  public void install(Object owner, BiConsumer<Object, Object> to) {
    List<Waiting> queued;
    Sink s = new Sink(owner, to);
    synchronized (waiting) {
      sink = s;
      queued = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (Waiting w : queued) {
      Object o = w.object().get();
      if (o != null) {
        hand(s, o, w.with());
      }
    }
  }

  /**
   * Stops handing to what {@code owner} installed (if it is still the sink); objects wait again.
   */
  public void uninstall(Object owner) {
    synchronized (waiting) {
      if (sink != null && sink.owner() == owner) {
        sink = null;
      }
    }
  }

  /** Hands {@code o} to the core, or keeps it (weakly, while there is room) until there is one. */
  public void offer(Object o) {
    offer(o, null);
  }

  /** As {@link #offer(Object)}, with {@code with} handed beside it (kept strongly meanwhile). */
  public void offer(Object o, Object with) {
    try {
      if (o == null) {
        return;
      }
      Sink s = sink;
      if (s == null) {
        synchronized (waiting) {
          if (sink == null) {
            if (waiting.size() < early) {
              waiting.add(new Waiting(new WeakReference<>(o), with));
            }
            return;
          }
          s = sink;
        }
      }
      hand(s, o, with);
    } catch (Throwable ignored) {
      // what Nova cannot take is left alone; the host is not told
    }
  }

  private static void hand(Sink s, Object o, Object with) {
    try {
      s.to().accept(o, with);
    } catch (Throwable ignored) {
      // what Nova cannot take is left alone; the host is not told
    }
  }
}
