package dev.nova.sample.faults;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runbook 5 "cache bloat": while on, every stream request caches a 128 KB rendition under a new key
 * in the service's Caffeine cache, and nothing evicts it. Nova's {@code cache-trim} frees it.
 */
public final class RetainMemory implements Fault {
  static final int BLOB = 128 * 1024;
  private final Cache<Object, Object> cache;
  private final AtomicLong n = new AtomicLong();
  private volatile boolean on;

  public RetainMemory(Cache<Object, Object> cache) {
    this.cache = cache;
  }

  @Override
  public String name() {
    return "retain-memory";
  }

  @Override
  public String description() {
    return "each stream request caches 128 KB that nothing evicts (runbook 5, cache bloat)";
  }

  @Override
  public void start() {
    on = true;
  }

  /** Called from the request path. */
  public void onRequest() {
    if (on) {
      cacheRendition();
    }
  }

  void cacheRendition() {
    cache.put("rendition-" + n.incrementAndGet(), new byte[BLOB]);
  }

  @Override
  public void stop() {
    on = false;
  }

  @Override
  public boolean active() {
    return on;
  }
}
