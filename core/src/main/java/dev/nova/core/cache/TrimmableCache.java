package dev.nova.core.cache;

/**
 * A cache the {@code cache-trim} action can shrink: implement it for a cache of your own, or hand a
 * map or a Caffeine cache to {@link CacheRegistry} and Nova adapts it.
 */
public interface TrimmableCache {
  /** A short name, unique among the registered caches. */
  String name();

  /** How many entries it holds now (an estimate is fine). */
  long size();

  /**
   * Removes entries until about {@code keepFraction} of them remain (0 empties the cache).
   *
   * @return how many entries were removed
   */
  long trim(double keepFraction);
}
