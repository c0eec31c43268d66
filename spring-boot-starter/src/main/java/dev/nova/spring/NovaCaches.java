package dev.nova.spring;

import dev.nova.core.Nova;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * The application's Spring caches, for {@code cache-trim}: once every singleton exists, each cache
 * its {@code CacheManager}s know by name whose store Nova can trim (a Caffeine cache, a map) is
 * registered, held weakly as the library holds them. A cache a manager makes later, on its first
 * use under a name it was not given, is not seen (see docs/spring-boot.md).
 */
final class NovaCaches implements SmartInitializingSingleton {
  private final ObjectProvider<CacheManager> managers;
  private final ObjectProvider<Nova> nova;

  NovaCaches(ObjectProvider<CacheManager> managers, ObjectProvider<Nova> nova) {
    this.managers = managers;
    this.nova = nova;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Nova n = nova.getIfAvailable();
    if (n == null) {
      return;
    }
    managers
        .orderedStream()
        .forEach(
            m -> {
              for (String name : m.getCacheNames()) {
                Cache c = m.getCache(name);
                Object store = c == null ? null : c.getNativeCache();
                if (store instanceof Map<?, ?> map) {
                  n.caches().registerMap(name, map);
                } else if (store != null) {
                  n.caches().registerCaffeine(store); // false for a store Nova cannot trim
                }
              }
            });
  }
}
