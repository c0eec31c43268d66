package app;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** A host with a Caffeine cache of 1,000 entries it never tells Nova about. */
public final class CacheHost {
  static Cache<Integer, String> streams;

  private CacheHost() {}

  public static void main(String[] args) throws Exception {
    streams = Caffeine.newBuilder().maximumSize(10_000).build();
    for (int i = 0; i < 1_000; i++) {
      streams.put(i, "stream-" + i);
    }
    System.out.println("host-ready pid=" + ProcessHandle.current().pid());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    System.out.println("size " + streams.estimatedSize());
  }
}
