package dev.nova.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nova.core.Nova;
import dev.nova.testing.Http;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** cache-trim over real HTTP on a real Caffeine cache, a map, and a cache of one's own. */
class CacheTrimTest {
  static final String TOKEN = "cache-token";
  private Nova nova;
  private Http http;

  @BeforeEach
  void start() {
    nova = Nova.builder().option("port", "0").option("token", TOKEN).start();
    http = new Http(nova.address().orElseThrow().getPort());
  }

  @AfterEach
  void stop() {
    long errors = nova.health().errors();
    nova.close();
    assertThat(errors).isZero();
  }

  @Test
  void aCaffeineCacheKeepsTheFractionAskedFor() {
    Cache<Integer, String> streams = Caffeine.newBuilder().build();
    for (int i = 0; i < 1_000; i++) {
      streams.put(i, "stream-" + i);
    }
    assertThat(nova.caches().registerCaffeine(streams)).isTrue();
    assertThat(nova.caches().registerCaffeine(streams)).isTrue(); // once only
    assertThat(nova.caches().caches()).hasSize(1);
    String name = nova.caches().caches().get(0).name();
    assertThat(
            http.get("/debug/nova")
                .json()
                .get("signals")
                .get("caches")
                .get(name)
                .get("size")
                .asLong())
        .isEqualTo(1_000);

    JsonNode dry =
        http.post("/debug/nova/actions/cache-trim?fraction=0.25&dryRun=true", TOKEN).json();
    assertThat(dry.get("caches").get(0).get("wouldRemove").asLong()).isEqualTo(750);
    assertThat(streams.estimatedSize()).isEqualTo(1_000);

    Http.Answer a =
        http.post("/debug/nova/actions/cache-trim?cache=" + name + "&fraction=0.25", TOKEN);
    assertThat(a.status()).isEqualTo(200);
    JsonNode c = a.json().get("caches").get(0);
    assertThat(c.get("sizeBefore").asLong()).isEqualTo(1_000);
    assertThat(c.get("removed").asLong()).isEqualTo(750);
    assertThat(c.get("sizeAfter").asLong()).isEqualTo(250);
    assertThat(streams.estimatedSize()).isEqualTo(250);
    assertThat(a.json().has("heapUsedBefore")).isTrue();
  }

  @Test
  void aSizeBoundedCaffeineCacheLosesItsColdestEntriesFirst() {
    // full, so that Caffeine's own policy orders every entry
    // and maintained on this thread, so that every read has reached the policy before the trim
    Cache<Integer, String> streams =
        Caffeine.newBuilder().maximumSize(1_000).executor(Runnable::run).build();
    for (int i = 0; i < 1_000; i++) {
      streams.put(i, "stream-" + i);
    }
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 100; i++) {
        streams.getIfPresent(i); // the first hundred (first in iteration order too) are hot
      }
    }
    streams.cleanUp();
    assertThat(nova.caches().registerCaffeine(streams)).isTrue();
    Http.Answer a = http.post("/debug/nova/actions/cache-trim?fraction=0.5", TOKEN);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("caches").get(0).get("removed").asLong()).isEqualTo(500);
    assertThat(streams.estimatedSize()).isEqualTo(500);
    // removal in iteration order would have dropped keys 0..499, the hot ones with them
    int hotLeft = 0;
    for (int i = 0; i < 100; i++) {
      hotLeft += streams.getIfPresent(i) == null ? 0 : 1;
    }
    assertThat(hotLeft).isEqualTo(100);
  }

  @Test
  void aRegisteredMapAndACacheOfOnesOwnAreTrimmedTooAndZeroEmptiesThem() {
    Map<String, byte[]> sessions = new ConcurrentHashMap<>();
    for (int i = 0; i < 100; i++) {
      sessions.put("s" + i, new byte[16]);
    }
    nova.caches().registerMap("sessions", sessions);
    AtomicLong own = new AtomicLong(40);
    nova.caches()
        .register(
            new TrimmableCache() {
              @Override
              public String name() {
                return "thumbnails";
              }

              @Override
              public long size() {
                return own.get();
              }

              @Override
              public long trim(double keepFraction) {
                long before = own.get();
                own.set((long) Math.ceil(before * keepFraction));
                return before - own.get();
              }
            });
    Http.Answer a = http.post("/debug/nova/actions/cache-trim?fraction=0", TOKEN);
    assertThat(a.status()).isEqualTo(200);
    assertThat(sessions).isEmpty();
    assertThat(own.get()).isZero();
    assertThat(a.json().get("caches").size()).isEqualTo(2);
  }

  @Test
  void badRequestsAreRefusedWithTheRightStatus() {
    assertThat(http.post("/debug/nova/actions/cache-trim", TOKEN).status()).isEqualTo(404);
    nova.caches().registerMap("m", new ConcurrentHashMap<>());
    assertThat(http.post("/debug/nova/actions/cache-trim?cache=nope", TOKEN).status())
        .isEqualTo(404);
    assertThat(http.post("/debug/nova/actions/cache-trim?fraction=2", TOKEN).status())
        .isEqualTo(400);
    assertThat(http.post("/debug/nova/actions/cache-trim?fraction=-0.1", TOKEN).status())
        .isEqualTo(400);
    assertThat(http.post("/debug/nova/actions/cache-trim?fraction=half", TOKEN).status())
        .isEqualTo(400);
  }

  @Test
  void aRegisteredMapIsHeldWeakly() {
    nova.caches().registerMap("temporary", new ConcurrentHashMap<>(Map.of("a", "b")));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!nova.caches().caches().isEmpty() && System.nanoTime() < deadline) {
      System.gc();
    }
    assertThat(nova.caches().caches()).isEmpty();
  }
}
