package dev.nova.sample;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.nova.core.Nova;
import dev.nova.core.http.netty.NovaNettyHandler;
import dev.nova.sample.faults.DropWebSockets;
import dev.nova.sample.faults.ErrorBurst;
import dev.nova.sample.faults.ExhaustPool;
import dev.nova.sample.faults.Fault;
import dev.nova.sample.faults.Faults;
import dev.nova.sample.faults.LeakConnections;
import dev.nova.sample.faults.LeakThreads;
import dev.nova.sample.faults.RetainMemory;
import dev.nova.sample.faults.SilentSessions;
import dev.nova.sample.faults.SlowQueries;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Nova Streaming's service, small but real: REST under /api/v1, viewers over WebSocket, the
 * nginx-rtmp callbacks, H2 or PostgreSQL through HikariCP, a Caffeine cache, faults on demand. With
 * the Nova agent it is instrumented as it stands; without it, it starts Nova as a library.
 */
public final class StreamingService implements AutoCloseable {
  private final Db db;
  private final Tokens tokens;
  private final Rooms rooms = new Rooms();
  private final Cache<Object, Object> cache = Caffeine.newBuilder().build();
  private final ThreadPoolExecutor workers;
  private final Faults faults;
  private final String redis;
  private final Nova library;
  private final EventLoopGroup boss;
  private final EventLoopGroup loops;
  private final Channel server;
  private final int port;

  /** Starts on {@code port} (0 picks one); {@code faultsEnabled} allows /admin/faults. */
  public StreamingService(int port, boolean faultsEnabled) throws Exception {
    this.db = Db.fromEnvironment();
    this.tokens = Tokens.fromEnvironment();
    this.redis = System.getenv("STREAMS_REDIS");
    this.workers =
        new ThreadPoolExecutor(
            16,
            16,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(2_000),
            r -> {
              Thread t = new Thread(r, "api-worker");
              t.setDaemon(true);
              return t;
            });
    workers.prestartAllCoreThreads(); // a fixed pool from the start: no thread growth to explain
    this.library = agentAttached() ? null : startLibrary();
    if (library != null) {
      db.wrap(ds -> library.jdbc().wrap(ds));
      library.caches().registerCaffeine(cache);
    }
    db.createSchema();
    this.faults =
        new Faults(
            faultsEnabled,
            new LeakConnections(db.dataSource()),
            new SlowQueries(db.dataSource(), db.kind().equals("postgresql"), 2),
            new ExhaustPool(db.dataSource(), db.pool().getMaximumPoolSize()),
            new LeakThreads(),
            new RetainMemory(cache),
            new SilentSessions(this::silentTarget, 20),
            new ErrorBurst(),
            new DropWebSockets());
    this.boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    this.loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    Nova nova = library;
    this.server =
        new ServerBootstrap()
            .group(boss, loops)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new IdleStateHandler(0, 0, 300));
                    ch.pipeline().addLast("codec", new HttpServerCodec());
                    if (nova != null) {
                      ch.pipeline().addLast("nova", NovaNettyHandler.of(nova));
                    }
                    ch.pipeline().addLast(new HttpObjectAggregator(64 * 1024));
                    ch.pipeline().addLast(new Api(StreamingService.this));
                  }
                })
            .bind(new InetSocketAddress(port))
            .sync()
            .channel();
    this.port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** True when the Nova agent is on this JVM's command line (it then observes everything). */
  static boolean agentAttached() {
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-javaagent:") && a.contains("nova-agent")) {
        return true;
      }
    }
    return System.getProperty(Nova.AGENT_ADDRESS_PROPERTY) != null;
  }

  private static Nova startLibrary() {
    Map<String, String> options = new LinkedHashMap<>();
    String token = System.getProperty("nova.token", System.getenv("NOVA_TOKEN"));
    if (token != null && !token.isBlank()) {
      options.put("token", token);
    }
    return Nova.start(options);
  }

  /** Where Nova answers: the agent's listener, or the library's. Waits for the agent's a while. */
  public String novaAddress() throws InterruptedException {
    if (library != null) {
      InetSocketAddress a = library.address().orElseThrow();
      return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String a;
    while ((a = System.getProperty(Nova.AGENT_ADDRESS_PROPERTY)) == null
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // the agent starts its listener beside the application
    }
    if (a == null) {
      throw new IllegalStateException("the Nova agent did not start its listener");
    }
    return a;
  }

  public boolean libraryMode() {
    return library != null;
  }

  public int port() {
    return port;
  }

  Db db() {
    return db;
  }

  Tokens tokens() {
    return tokens;
  }

  Rooms rooms() {
    return rooms;
  }

  ThreadPoolExecutor workers() {
    return workers;
  }

  public Faults faults() {
    return faults;
  }

  public Cache<Object, Object> cache() {
    return cache;
  }

  Api.Answer health() {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean dbUp = db.ping();
    m.put("status", dbUp ? "ok" : "degraded");
    m.put("database", Map.of("kind", db.kind(), "up", dbUp));
    if (redis != null && !redis.isBlank()) {
      m.put("redis", Map.of("target", redis, "up", pingRedis(redis)));
    }
    m.put("viewers", rooms.viewers());
    return new Api.Answer(dbUp ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, m);
  }

  static boolean pingRedis(String target) {
    int colon = target.lastIndexOf(':');
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(
              target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
          1_000);
      s.setSoTimeout(1_000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[16];
      int n = in.read(buf);
      return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (Exception e) {
      return false;
    }
  }

  Api.Answer listStreams() throws Exception {
    requestSideEffects();
    List<Object> out = new ArrayList<>();
    for (Db.Stream s : db.live()) {
      out.add(describe(s));
    }
    return new Api.Answer(HttpResponseStatus.OK, Map.of("streams", out));
  }

  Api.Answer createStream(String title, String description) throws Exception {
    requestSideEffects();
    Db.Stream s = db.create(title, description, null);
    cache.put(s.id(), s);
    return new Api.Answer(HttpResponseStatus.CREATED, describe(s));
  }

  Api.Answer getStream(long id) throws Exception {
    requestSideEffects();
    Object cached = cache.getIfPresent(id);
    Optional<Db.Stream> s = cached instanceof Db.Stream d ? Optional.of(d) : db.get(id);
    if (s.isEmpty()) {
      return Api.Answer.error(HttpResponseStatus.NOT_FOUND, "no stream " + id);
    }
    cache.put(id, s.get());
    return new Api.Answer(HttpResponseStatus.OK, describe(s.get()));
  }

  Api.Answer endStream(long id) throws Exception {
    if (!db.end(id)) {
      return Api.Answer.error(HttpResponseStatus.NOT_FOUND, "no live stream " + id);
    }
    cache.invalidate(id);
    rooms.end(id);
    return new Api.Answer(HttpResponseStatus.OK, Map.of("id", id, "status", "ended"));
  }

  boolean isLive(long id) throws SQLException {
    return db.get(id).map(s -> s.status().equals("live")).orElse(false);
  }

  /** nginx-rtmp's on_publish: the stream key's token decides; the stream is created. */
  Api.Answer onPublish(Map<String, String> form) throws SQLException {
    String name = form.getOrDefault("name", "");
    if (name.isBlank() || tokens.verify(form.get("token")) == null) {
      return Api.Answer.error(HttpResponseStatus.FORBIDDEN, "authentication failed");
    }
    Db.Stream s = db.create(name, "RTMP ingest from " + form.getOrDefault("addr", "?"), name);
    return new Api.Answer(HttpResponseStatus.OK, Map.of("id", s.id(), "status", "live"));
  }

  /**
   * nginx-rtmp's on_publish_done: the stream ends, as {@link #endStream} ends one: the cached copy
   * goes and its viewers are told.
   */
  Api.Answer onPublishDone(Map<String, String> form) throws SQLException {
    String name = form.getOrDefault("name", "");
    List<Long> ended = name.isBlank() ? List.of() : db.endByKey(name);
    for (long id : ended) {
      cache.invalidate(id);
      rooms.end(id);
    }
    return new Api.Answer(
        HttpResponseStatus.OK, Map.of("name", name, "ended", !ended.isEmpty(), "ids", ended));
  }

  private void requestSideEffects() throws SQLException {
    faults.leakConnections.onRequest();
    faults.retainMemory.onRequest();
  }

  Optional<Api.Answer> beforeRequest(String path) {
    if (faults.errorBurst.on() && path.startsWith(Api.PREFIX + "/streams")) {
      return Optional.of(
          Api.Answer.error(
              HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream transcoder unreachable"));
    }
    return Optional.empty();
  }

  Api.Answer faultsAdmin(String path, String method, Map<String, List<String>> params) {
    if (!faults.enabled()) {
      return Api.Answer.error(
          HttpResponseStatus.NOT_FOUND, "faults are disabled (start the service with --faults)");
    }
    if (path.equals("/admin/faults") && method.equals("GET")) {
      return new Api.Answer(HttpResponseStatus.OK, describeFaults());
    }
    String name = path.substring("/admin/faults/".length());
    Fault f = faults.get(name);
    if (f == null) {
      return Api.Answer.error(HttpResponseStatus.NOT_FOUND, "no fault " + name);
    }
    if (!method.equals("POST")) {
      return Api.Answer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "POST ?on=true|false");
    }
    List<String> on = params.get("on");
    if (on == null || !(on.get(0).equals("true") || on.get(0).equals("false"))) {
      return Api.Answer.error(HttpResponseStatus.BAD_REQUEST, "on=true or on=false");
    }
    try {
      if (on.get(0).equals("true")) {
        f.start();
      } else {
        f.stop();
      }
    } catch (Exception e) {
      return Api.Answer.error(HttpResponseStatus.CONFLICT, name + " could not start: " + e);
    }
    return new Api.Answer(HttpResponseStatus.OK, describeFaults());
  }

  private Map<String, Object> describeFaults() {
    Map<String, Object> m = new LinkedHashMap<>();
    faults
        .all()
        .forEach((k, f) -> m.put(k, Map.of("active", f.active(), "description", f.description())));
    return Map.of("faults", m);
  }

  /** The silent-sessions fault's viewer URL: a live stream (made if needed), a valid token. */
  private URI silentTarget() {
    try {
      List<Db.Stream> live = db.live();
      long id = live.isEmpty() ? db.create("silent room", "", null).id() : live.get(0).id();
      return URI.create(
          "ws://127.0.0.1:"
              + port
              + Api.PREFIX
              + "/streams/"
              + id
              + "/ws?token="
              + tokens.issue("silent", Duration.ofHours(1)));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> describe(Db.Stream s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("title", s.title());
    m.put("description", s.description());
    m.put("status", s.status());
    m.put("createdAt", s.createdAt().toString());
    return m;
  }

  /** Graceful: no new connections, viewers told 1001, work drained, pool closed. */
  @Override
  public void close() {
    faults.stopAll();
    rooms.shutdown();
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    db.close();
    if (library != null) {
      library.close();
    }
  }
}
