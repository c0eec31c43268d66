package dev.nova.core.cache;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The caches {@code cache-trim} works on: those a developer registers (a {@link TrimmableCache}, or
 * one line for a map), and Caffeine caches the host builds, which the agent finds by itself. Maps
 * and Caffeine caches are held weakly: Nova never keeps a cache alive.
 */
public final class CacheRegistry {
  static final int MAX_CACHES = 256;

  private final List<TrimmableCache> caches = new CopyOnWriteArrayList<>();

  /** Registers a cache; a second one with the same name is refused. */
  public void register(TrimmableCache cache) {
    if (find(cache.name()) != null) {
      throw new IllegalArgumentException("a cache named " + cache.name() + " is registered");
    }
    if (caches.size() < MAX_CACHES) {
      caches.add(cache);
    }
  }

  /** Registers a map-like cache: trimming removes entries through its iterator. */
  public void registerMap(String name, Map<?, ?> map) {
    WeakReference<Map<?, ?>> mapRef = new WeakReference<>(map);
    register(
        new WeakCache(name, mapRef) {
          @Override
          public long size() {
            Map<?, ?> m = mapRef.get();
            return m == null ? 0 : m.size();
          }

          @Override
          public long trim(double keepFraction) {
            Map<?, ?> m = mapRef.get();
            return m == null ? 0 : removeFrom(m, keepFraction);
          }
        });
  }

  /**
   * Registers a Caffeine {@code Cache} or {@code AsyncCache}, reached reflectively through
   * Caffeine's public interfaces; false when {@code cache} is not one.
   */
  public boolean registerCaffeine(Object cache) {
    if (cache == null || caches.size() >= MAX_CACHES) {
      return false;
    }
    try {
      ClassLoader loader = cache.getClass().getClassLoader();
      Class<?> cacheType = Class.forName("com.github.benmanes.caffeine.cache.Cache", false, loader);
      Object sync = cache;
      if (!cacheType.isInstance(cache)) {
        Class<?> async =
            Class.forName("com.github.benmanes.caffeine.cache.AsyncCache", false, loader);
        if (!async.isInstance(cache)) {
          return false;
        }
        sync = async.getMethod("synchronous").invoke(cache);
      }
      for (TrimmableCache c : caches) {
        if (c instanceof WeakCache w && w.ref.get() == sync) {
          return true;
        }
      }
      Method estimatedSize = cacheType.getMethod("estimatedSize");
      Method asMap = cacheType.getMethod("asMap");
      WeakReference<Object> cacheRef = new WeakReference<>(sync);
      String name = "caffeine@" + Integer.toHexString(System.identityHashCode(sync));
      caches.add(
          new WeakCache(name, cacheRef) {
            @Override
            public long size() {
              Object c = cacheRef.get();
              try {
                return c == null ? 0 : (Long) estimatedSize.invoke(c);
              } catch (ReflectiveOperationException | RuntimeException e) {
                return -1;
              }
            }

            @Override
            public long trim(double keepFraction) {
              Object c = cacheRef.get();
              try {
                if (c == null) {
                  return 0;
                }
                Map<?, ?> map = (Map<?, ?>) asMap.invoke(c);
                long remove = map.size() - (long) Math.ceil(map.size() * keepFraction);
                Map<?, ?> coldest = coldest(c, remove);
                if (coldest != null) {
                  long removed = 0;
                  for (Object key : coldest.keySet()) {
                    if (map.remove(key) != null) {
                      removed++;
                    }
                  }
                  return removed;
                }
                return removeFrom(map, keepFraction);
              } catch (ReflectiveOperationException | RuntimeException e) {
                return 0;
              }
            }
          });
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /**
   * The {@code n} entries a size-bounded Caffeine cache would evict next (its own coldest-first
   * order, from {@code policy().eviction()}), or null when the cache has no size bound.
   */
  static Map<?, ?> coldest(Object cache, long n) {
    if (n <= 0) {
      return Map.of();
    }
    try {
      Object policy = publicMethod(cache, "policy").invoke(cache);
      Object eviction =
          ((java.util.Optional<?>) publicMethod(policy, "eviction").invoke(policy)).orElse(null);
      if (eviction == null) {
        return null;
      }
      Method coldest = publicMethod(eviction, "coldest", int.class);
      return (Map<?, ?>) coldest.invoke(eviction, (int) Math.min(n, Integer.MAX_VALUE));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A method looked up on the public interface that declares it (implementations are hidden). */
  private static Method publicMethod(Object target, String name, Class<?>... params)
      throws NoSuchMethodException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        try {
          return i.getMethod(name, params);
        } catch (NoSuchMethodException e) {
          // next interface
        }
      }
    }
    return target.getClass().getMethod(name, params);
  }

  /** A cache held weakly; it leaves the registry once collected. */
  private abstract static class WeakCache implements TrimmableCache {
    final String name;
    final WeakReference<?> ref;

    WeakCache(String name, WeakReference<?> ref) {
      this.name = name;
      this.ref = ref;
    }

    @Override
    public String name() {
      return name;
    }
  }

  static long removeFrom(Map<?, ?> map, double keepFraction) {
    long size = map.size();
    long remove = size - (long) Math.ceil(size * keepFraction);
    long removed = 0;
    Iterator<?> it = map.keySet().iterator();
    while (removed < remove && it.hasNext()) {
      it.next();
      it.remove();
      removed++;
    }
    return removed;
  }

  /** Live caches (collected ones are dropped). */
  public List<TrimmableCache> caches() {
    List<TrimmableCache> out = new ArrayList<>();
    for (TrimmableCache c : caches) {
      if (c instanceof WeakCache w && w.ref.get() == null) {
        caches.remove(c);
      } else {
        out.add(c);
      }
    }
    return out;
  }

  public TrimmableCache find(String name) {
    for (TrimmableCache c : caches()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }
}
