package dev.nova.core.bridge;

import java.util.function.Consumer;

/**
 * The doorway from the agent's context advice into Nova: the JDK HTTP server made a context.
 * Contexts made before Nova's core is up are remembered, weakly and at most {@value #EARLY}, and
 * handed over when it is (see {@link Handoff}). Never throws.
 */
public final class HttpServerBridge {
  static final int EARLY = 64;
  private static final Handoff HANDOFF = new Handoff(EARLY);

  private HttpServerBridge() {}

  public static void install(Consumer<Object> s) {
    HANDOFF.install(s);
  }

  public static void uninstall(Consumer<Object> s) {
    HANDOFF.uninstall(s);
  }

  /**
   * Marks the filter Nova adds to a context to observe it, so that whoever made the context can
   * take it off again by this type alone: the admin listener, below the HTTP area, leaves its own
   * traffic out of the host's. (No {@code com.sun.net.httpserver} type here: this class may live in
   * the bootstrap loader, which does not see that module.)
   */
  public interface Observer {}

  /** A context Nova cannot observe is left alone; the host is not told. */
  public static void created(Object context) {
    HANDOFF.offer(context);
  }
}
