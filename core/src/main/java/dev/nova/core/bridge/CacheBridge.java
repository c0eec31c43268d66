package dev.nova.core.bridge;

import java.util.function.Consumer;

/**
 * The doorway from the agent's cache advice into Nova: a Caffeine cache was built. Caches built
 * before Nova's core is up are remembered, weakly and at most {@value #EARLY}, and handed over when
 * it is (see {@link Handoff}). Never throws.
 */
public final class CacheBridge {
  static final int EARLY = 64;
  private static final Handoff HANDOFF = new Handoff(EARLY);

  private CacheBridge() {}

  public static void install(Consumer<Object> s) {
    HANDOFF.install(s);
  }

  public static void uninstall(Consumer<Object> s) {
    HANDOFF.uninstall(s);
  }

  /** A cache Nova cannot read is a cache it does not trim; the host is not told. */
  public static void built(Object cache) {
    HANDOFF.offer(cache);
  }
}
