package dev.nova.core.bridge;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The doorway from the agent's context advice into Nova: the JDK HTTP server made a context.
 * Contexts made before Nova's core is up (it starts beside the application) are remembered, weakly
 * and at most {@value #EARLY}, and handed over when it is. Typed on JDK classes only (the agent
 * defines it in the bootstrap class loader); never throws.
 */
public final class HttpServerBridge {
  static final int EARLY = 64;

  private static final List<WeakReference<Object>> early = new ArrayList<>();
  private static volatile Consumer<Object> sink;

  private HttpServerBridge() {}

  public static void install(Consumer<Object> s) {
    List<WeakReference<Object>> waiting;
    synchronized (early) {
      sink = s;
      waiting = new ArrayList<>(early);
      early.clear();
    }
    for (WeakReference<Object> r : waiting) {
      Object context = r.get();
      if (context != null) {
        created(context);
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

  public static void created(Object context) {
    try {
      if (context == null) {
        return;
      }
      Consumer<Object> s = sink;
      if (s == null) {
        synchronized (early) {
          if (sink == null) {
            if (early.size() < EARLY) {
              early.add(new WeakReference<>(context));
            }
            return;
          }
          s = sink;
        }
      }
      s.accept(context);
    } catch (Throwable ignored) {
      // a context Nova cannot observe is left alone; the host is not told
    }
  }
}
