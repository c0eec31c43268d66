package shop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Exports built in the background on Spring's application task executor ({@code @Async}), each
 * waiting for a supplier's feed: until it comes ({@code POST /exports/feed}) they hold their worker,
 * and further exports queue.
 */
@RestController
@EnableAsync
public class Exports {
  private final Builder builder;

  public Exports(Builder builder) {
    this.builder = builder;
  }

  @PostMapping("/exports")
  public String start(@RequestParam(defaultValue = "1") int count) {
    for (int i = 0; i < count; i++) {
      builder.build();
    }
    return "started " + count;
  }

  @PostMapping("/exports/feed")
  public String feed() {
    builder.feed();
    return "fed";
  }

  @Service
  public static class Builder {
    private final CountDownLatch feed = new CountDownLatch(1);

    @Async
    public CompletableFuture<String> build() {
      try {
        feed.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.completedFuture("export");
    }

    void feed() {
      feed.countDown();
    }
  }
}
