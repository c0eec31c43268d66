package dev.nova.core.cache;

import dev.nova.core.area.Area;
import dev.nova.core.area.Wiring;
import dev.nova.core.bridge.CacheBridge;
import dev.nova.core.diagnosis.SignalSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Caches: the ones the host registers and the Caffeine caches the agent sees built, their sizes
 * under {@code signals.caches}, and the {@code cache-trim} action.
 */
public final class CacheArea implements Area {
  /** What one registered cache costs Nova, roughly, for {@code agent.heapEstimateBytes}. */
  private static final long BYTES_PER_CACHE = 128;

  private final CacheRegistry caches = new CacheRegistry();

  @Override
  public String name() {
    return "caches";
  }

  @Override
  public void install(Wiring w) {
    w.action(new CacheTrimAction(caches));
    w.signal(SignalSource.of("caches", this::snapshot));
    Consumer<Object> built = caches::registerCaffeine;
    w.bridge(() -> CacheBridge.install(built), () -> CacheBridge.uninstall(built));
    w.health().track("caches", () -> caches.caches().size(), BYTES_PER_CACHE);
  }

  /** The caches {@code cache-trim} works on. */
  public CacheRegistry caches() {
    return caches;
  }

  private Map<String, Object> snapshot() {
    List<TrimmableCache> all = caches.caches();
    if (all.isEmpty()) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (TrimmableCache c : all) {
      m.put(c.name(), Map.of("size", c.size()));
    }
    return m;
  }
}
