package dev.nova.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A realistic mix against the service: REST calls (list, get, create), viewers joining and leaving
 * streams over WebSocket, chat. Rate (requests per second across all workers), concurrency and
 * duration are options; the summary gives requests, errors and latency percentiles.
 *
 * <pre>java -cp nova-sample-service.jar dev.nova.sample.Load --url http://127.0.0.1:8081
 *     --rate 50 --concurrency 8 --duration 30s</pre>
 */
public final class Load {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a run did. */
  public record Summary(
      long requests,
      long errors,
      long viewersJoined,
      long chats,
      double p50Ms,
      double p95Ms,
      double p99Ms) {
    @Override
    public String toString() {
      return String.format(
          "%d requests, %d errors, %d viewers joined, %d chat messages; latency p50 %.1f ms,"
              + " p95 %.1f ms, p99 %.1f ms",
          requests, errors, viewersJoined, chats, p50Ms, p95Ms, p99Ms);
    }
  }

  private final String base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong joined = new AtomicLong();
  private final AtomicLong chats = new AtomicLong();
  private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
  private volatile String token;
  private final List<Long> streams = new ArrayList<>();
  private volatile boolean stopped;
  private final List<Viewer> viewers = new ArrayList<>();

  /** A viewer who stays: joins once, chats now and then, rejoins when dropped. */
  private final class Viewer implements WebSocket.Listener {
    final long stream;
    volatile WebSocket ws;
    volatile boolean gone = true;

    Viewer(long stream) {
      this.stream = stream;
    }

    void ensureOpen() throws Exception {
      if (!gone && ws != null) {
        return;
      }
      ws =
          client
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create(
                      base.replace("http", "ws")
                          + "/api/v1/streams/"
                          + stream
                          + "/ws?token="
                          + token),
                  this)
              .get(5, TimeUnit.SECONDS);
      gone = false;
      joined.incrementAndGet();
    }

    @Override
    public CompletableFuture<?> onClose(WebSocket w, int code, String reason) {
      gone = true;
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      gone = true;
    }

    void leave() {
      WebSocket w = ws;
      gone = true;
      if (w != null) {
        w.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      }
    }
  }

  /** Ends a run early; workers finish the step they are in. */
  public void stop() {
    stopped = true;
  }

  public Load(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public static void main(String[] args) throws Exception {
    String url = "http://127.0.0.1:8081";
    double rate = 50;
    int concurrency = 8;
    Duration duration = Duration.ofSeconds(30);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--duration" -> duration = dev.nova.core.config.Durations.parse(args[++i]);
        default -> {
          System.err.println(
              "usage: Load [--url http://127.0.0.1:8081] [--rate 50] [--concurrency 8]"
                  + " [--duration 30s]");
          System.exit(2);
        }
      }
    }
    System.out.println(new Load(url).run(rate, concurrency, duration));
  }

  /** Runs the mix for {@code duration}; never throws for a failed request (it is counted). */
  public Summary run(double ratePerSecond, int concurrency, Duration duration)
      throws InterruptedException {
    prepare();
    // viewers' apps heartbeat every 2 s, as real clients do: a viewer is never silent for long
    java.util.concurrent.ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "viewer-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeat.scheduleAtFixedRate(this::heartbeat, 2, 2, TimeUnit.SECONDS);
    long end = System.nanoTime() + duration.toNanos();
    long perWorkerGap = (long) (1e9 * concurrency / Math.max(0.1, ratePerSecond));
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    for (int w = 0; w < concurrency; w++) {
      int seed = w;
      pool.execute(
          () -> {
            Random r = new Random(seed);
            long next = System.nanoTime();
            while (System.nanoTime() < end && !stopped) {
              step(r);
              next += perWorkerGap;
              LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(duration.toMillis() + 30_000, TimeUnit.MILLISECONDS);
    heartbeat.shutdownNow();
    synchronized (viewers) {
      for (Viewer v : viewers) {
        v.leave();
      }
    }
    return summary();
  }

  private void prepare() {
    try {
      JsonNode t =
          JSON.readTree(
              send(HttpRequest.newBuilder(URI.create(base + "/api/v1/token"))
                      .POST(HttpRequest.BodyPublishers.noBody()))
                  .body());
      token = t.get("token").asText();
      for (int i = 0; i < 3; i++) {
        JsonNode s =
            JSON.readTree(
                send(authorized("/api/v1/streams")
                        .header("Content-Type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"title\":\"load stream " + i + "\",\"description\":\"\"}")))
                    .body());
        synchronized (streams) {
          streams.add(s.get("id").asLong());
        }
      }
      for (int i = 0; i < 12; i++) {
        Viewer v;
        synchronized (streams) {
          v = new Viewer(streams.get(i % streams.size()));
        }
        v.ensureOpen();
        synchronized (viewers) {
          viewers.add(v);
        }
      }
    } catch (Exception e) {
      errors.incrementAndGet();
    }
  }

  private void step(Random r) {
    int pick = r.nextInt(100);
    long stream;
    synchronized (streams) {
      stream = streams.isEmpty() ? 1 : streams.get(r.nextInt(streams.size()));
    }
    try {
      if (pick < 50) {
        timed(authorized("/api/v1/streams").GET());
      } else if (pick < 80) {
        timed(authorized("/api/v1/streams/" + stream).GET());
      } else if (pick < 85) {
        timed(
            authorized("/api/v1/streams")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"pop-up\"}")));
      } else {
        Viewer v;
        synchronized (viewers) {
          v = viewers.isEmpty() ? null : viewers.get(r.nextInt(viewers.size()));
        }
        if (v != null) {
          chat(v, r);
        }
      }
    } catch (Exception e) {
      errors.incrementAndGet();
    }
  }

  private void heartbeat() {
    List<Viewer> all;
    synchronized (viewers) {
      all = new ArrayList<>(viewers);
    }
    for (Viewer v : all) {
      WebSocket w = v.ws;
      if (!v.gone && w != null && !w.isOutputClosed()) {
        w.sendPing(java.nio.ByteBuffer.wrap(new byte[] {'h', 'b'}));
      }
    }
  }

  /** A viewer chats; now and then one leaves and another joins in its place. */
  private void chat(Viewer v, Random r) throws Exception {
    synchronized (v) {
      v.ensureOpen();
      if (r.nextInt(200) == 0) {
        v.leave(); // a viewer leaves; the next chat from this seat is a new viewer joining
        return;
      }
      v.ws
          .sendText("hello from " + Thread.currentThread().getName(), true)
          .get(5, TimeUnit.SECONDS);
      chats.incrementAndGet();
    }
  }

  private HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void timed(HttpRequest.Builder b) {
    long start = System.nanoTime();
    requests.incrementAndGet();
    try {
      HttpResponse<String> r = send(b);
      if (r.statusCode() >= 500) {
        errors.incrementAndGet();
      }
    } catch (Exception e) {
      errors.incrementAndGet();
    } finally {
      latencies.add(System.nanoTime() - start);
    }
  }

  Summary summary() {
    long[] l = latencies.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(l);
    return new Summary(
        requests.get(),
        errors.get(),
        joined.get(),
        chats.get(),
        pct(l, 0.5),
        pct(l, 0.95),
        pct(l, 0.99));
  }

  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }

  /** Background load until stopped (the tour runs it beside each fault). */
  public static final class Background implements AutoCloseable {
    private final Thread thread;
    private final Load load;
    private volatile Summary summary;

    public Background(String base, double rate, int concurrency) {
      load = new Load(base);
      thread =
          new Thread(
              () -> {
                try {
                  summary = load.run(rate, concurrency, Duration.ofHours(1));
                } catch (InterruptedException e) {
                  summary = load.summary();
                }
              },
              "tour-load");
      thread.setDaemon(true);
      thread.start();
    }

    /** Stops the load and answers its summary. */
    public Summary stop() throws InterruptedException {
      load.stop();
      thread.join(30_000);
      return summary != null ? summary : load.summary();
    }

    /** Stops the load; an interrupt while waiting for it is kept on the thread, not thrown. */
    @Override
    public void close() {
      try {
        stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
