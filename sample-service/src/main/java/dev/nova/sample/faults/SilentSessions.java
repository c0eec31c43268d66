package dev.nova.sample.faults;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runbook 2.4 "zombie sessions": opens {@code count} viewer sessions on a live stream that never
 * send or read anything, the way a crashed app leaves its sockets (the server's broadcasts still
 * reach them). Stopping closes those still open.
 */
public final class SilentSessions implements Fault {
  private final Supplier<URI> target;
  private final int count;
  private final List<WebSocket> open = new ArrayList<>();
  // made with the service, on two threads started now: the fault adds sessions, not threads
  private final java.util.concurrent.ThreadPoolExecutor pool =
      new java.util.concurrent.ThreadPoolExecutor(
          2,
          2,
          0,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "silent-client");
            t.setDaemon(true);
            return t;
          });
  private final HttpClient client;

  {
    pool.prestartAllCoreThreads();
    client = HttpClient.newBuilder().executor(pool).build();
  }

  /** {@code target} gives a viewer URL (a live stream and a valid token) when the fault starts. */
  public SilentSessions(Supplier<URI> target, int count) {
    this.target = target;
    this.count = count;
  }

  @Override
  public String name() {
    return "silent-sessions";
  }

  @Override
  public String description() {
    return count + " viewer sessions that never send a frame (runbook 2.4, zombie sessions)";
  }

  @Override
  public synchronized void start() {
    if (!open.isEmpty()) {
      return;
    }
    URI uri = target.get();
    List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      opening.add(client.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {}));
    }
    for (CompletableFuture<WebSocket> f : opening) {
      open.add(f.join());
    }
  }

  @Override
  public synchronized void stop() {
    for (WebSocket ws : open) {
      if (!ws.isOutputClosed()) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "fault off");
      }
    }
    open.clear();
  }

  @Override
  public synchronized boolean active() {
    return !open.isEmpty();
  }
}
