package dev.nova.core.bridge;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The doorway from the agent's cache advice into Nova: a Caffeine cache was built. Caches built
 * before Nova's core is up (it starts beside the application) are remembered, weakly and at most
 * {@value #EARLY}, and handed over when it is. Typed on JDK classes only (the agent defines it in
 * the bootstrap class loader); never throws.
 */
public final class CacheBridge {
  static final int EARLY = 64;

  private static final List<WeakReference<Object>> early = new ArrayList<>();
  private static volatile Consumer<Object> sink;

  private CacheBridge() {}

  public static void install(Consumer<Object> s) {
    List<WeakReference<Object>> waiting;
    synchronized (early) {
      sink = s;
      waiting = new ArrayList<>(early);
      early.clear();
    }
    for (WeakReference<Object> r : waiting) {
      Object cache = r.get();
      if (cache != null) {
        built(cache);
      }
    }
  }

  public static void uninstall(Consumer<Object> s) {
    synchronized (early) {
      if (sink == s) {
        sink = null;
      }
    }
  }

  public static void built(Object cache) {
    try {
      if (cache == null) {
        return;
      }
      Consumer<Object> s = sink;
      if (s == null) {
        synchronized (early) {
          if (sink == null) {
            if (early.size() < EARLY) {
              early.add(new WeakReference<>(cache));
            }
            return;
          }
          s = sink;
        }
      }
      s.accept(cache);
    } catch (Throwable ignored) {
      // a cache Nova cannot read is a cache it does not trim; the host is not told
    }
  }
}
