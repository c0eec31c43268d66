package dev.nova.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The system benchmark: real servers in their own JVMs, bare, with Nova and with any other agent
 * jar, in alternating rounds (the order reverses every round), each figure a median over rounds and
 * a ratio against bare from the same run. Per server and variant: time from the process start to
 * its first 200, throughput under {@code wrk} (or a Java keep-alive client when wrk is not
 * installed), p99 latency, the server's CPU per request (from {@code /proc/<pid>/stat}), Nova's own
 * threads' CPU under load and idle (those named {@code nova*} and the JVM's {@code JFR*}), and the
 * live heap after a full GC once idle. The host {@code scale} is {@link ScaleRun}'s: memory idle
 * and with many sessions and leaks, and the report's time.
 *
 * <pre>
 * java -cp jmh/target/nova-jmh.jar dev.nova.jmh.SystemBench [--rounds 5] [--seconds 10]
 *     [--warmup 5] [--idle 10] [--connections 32] [--hosts netty,h2c,tomcat,spring,scale]
 *     [--sessions 10000] [--leaks 1000] [--scale-idle 20]
 *     [--nova agent/target/nova-agent.jar] [--app agent/target/it/spring-boot-app/target/orders.jar]
 *     [--agent OTHER.jar ...] [--java /path/to/java] [--startup-only true]
 *     [--app-path /orders/A-1] [--bare-args "-Dnova.enabled=false"] [--variant label=args ...]
 * </pre>
 *
 * Run from the repository's root after {@code mvn -B install -DskipTests} (the hosts' jars are in
 * {@code jmh/target/hosts}, their sources in {@code jmh/src/hosts}) and {@code mvn -B verify -pl
 * agent} once (the Spring Boot jar). An agent that is not Nova runs with its exporters off ({@code
 * -Dotel.*.exporter=none}: no collector here), as a service without one would.
 */
public final class SystemBench {
  private static final long CLK_TCK = 100; // Linux's USER_HZ, fixed for /proc's clock ticks

  /** Only the time to the first answer: no load, no idle window, no heap. */
  private static boolean startupOnly;

  /** The Spring Boot host's path whose first 200 is its first answer ({@code --app-path}). */
  private static String appPath;

  /** Whether Debian's {@code wrk} and {@code h2load} (package nghttp2-client) are on the path. */
  private static boolean wrk;

  private static boolean h2load;

  /** Streams in flight per connection on the h2c host. */
  private static final int H2_STREAMS = 10;

  /** The JVM the servers run on. */
  private static String javaBin;

  private SystemBench() {}

  /**
   * One server: how it is started and what its load generator asks for; {@code h2} loads it with
   * cleartext HTTP/2 by prior knowledge instead of HTTP/1.1.
   */
  record Host(String name, List<String> command, String path, Pattern ready, boolean h2) {}

  /** What one run of one server measured. */
  record Result(
      double firstAnswerMs,
      double rps,
      double p99Ms,
      double cpuUsPerRequest,
      double novaLoadShare,
      double novaIdleShare,
      double heapMiB) {}

  public static void main(String[] args) throws Exception {
    Map<String, List<String>> o = options(args);
    int rounds = Integer.parseInt(one(o, "rounds", "5"));
    int seconds = Integer.parseInt(one(o, "seconds", "10"));
    int warmup = Integer.parseInt(one(o, "warmup", "5"));
    int idle = Integer.parseInt(one(o, "idle", "10"));
    int connections = Integer.parseInt(one(o, "connections", "32"));
    startupOnly = Boolean.parseBoolean(one(o, "startup-only", "false"));
    javaBin = one(o, "java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String nova = one(o, "nova", "agent/target/nova-agent.jar");
    String app = one(o, "app", "agent/target/it/spring-boot-app/target/orders.jar");
    appPath = one(o, "app-path", "/orders/A-1");
    List<String> hostNames =
        Arrays.asList(one(o, "hosts", "netty,h2c,tomcat,spring,scale").split(","));
    Map<String, List<String>> variants = new LinkedHashMap<>();
    // --bare-args: what "bare" runs with (-Dnova.enabled=false: an application carrying the
    // Spring Boot starter, with it off); --variant label=args: a variant of JVM arguments of its
    // own ("starter=" runs that application as it is, the starter on)
    variants.put("bare", words(one(o, "bare-args", "")));
    variants.put("nova", List.of("-javaagent:" + nova + "=port=0"));
    for (String v : o.getOrDefault("variant", List.of())) {
      int eq = v.indexOf('=');
      variants.put(v.substring(0, eq), words(v.substring(eq + 1)));
    }
    for (String a : o.getOrDefault("agent", List.of())) {
      if (a.contains("nova")) { // another build of Nova's, or options of it, to compare with
        String arg = "-javaagent:" + a + (a.contains("=") ? "," : "=") + "port=0";
        variants.put(Path.of(a).getFileName().toString(), List.of(arg));
        continue;
      }
      variants.put(
          Path.of(a).getFileName().toString(),
          List.of(
              "-javaagent:" + a,
              "-Dotel.traces.exporter=none",
              "-Dotel.metrics.exporter=none",
              "-Dotel.logs.exporter=none"));
    }
    wrk = onPath("wrk");
    h2load = onPath("h2load");
    System.out.printf(
        "rounds %d, %d s load after %d s warm-up, %d s idle, %d connections, load from %s, %s%n",
        rounds,
        seconds,
        warmup,
        idle,
        connections,
        (wrk ? "wrk -t1" : "the Java client (wrk not installed)")
            + (h2load
                ? ", h2c from h2load -t1 -m" + H2_STREAMS
                : ", h2c from the JDK's HttpClient"),
        javaBin);
    for (String h : hostNames) {
      if (h.trim().equals("scale")) {
        if (!startupOnly) {
          ScaleRun.run(
              javaBin,
              compiled("scale", "scale.NettyWsScale"),
              variants,
              rounds,
              Integer.parseInt(one(o, "scale-idle", "20")),
              Integer.parseInt(one(o, "sessions", "10000")),
              Integer.parseInt(one(o, "leaks", "1000")));
        }
        continue;
      }
      Host host = host(h.trim(), app);
      Map<String, List<Result>> results = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        List<String> order = new ArrayList<>(variants.keySet());
        if (r % 2 == 1) {
          Collections.reverse(order);
        }
        for (String v : order) {
          Result res = run(host, variants.get(v), seconds, warmup, idle, connections);
          System.out.printf("  %s %s round %d: %s%n", host.name(), v, r + 1, res);
          results.computeIfAbsent(v, k -> new ArrayList<>()).add(res);
        }
      }
      report(host, results);
    }
  }

  private static void report(Host host, Map<String, List<Result>> results) {
    Result bare = median(results.get("bare"));
    System.out.printf(
        "%n%s (medians)%n%-36s %12s %10s %10s %10s %12s %10s %10s %10s%n",
        host.name(),
        "variant",
        "1st answer",
        "x bare",
        "req/s",
        "x bare",
        "CPU us/req",
        "+us/req",
        "p99 ms",
        "heap MiB");
    for (Map.Entry<String, List<Result>> e : results.entrySet()) {
      Result m = median(e.getValue());
      System.out.printf(
          Locale.ROOT,
          "%-36s %10.0fms %10.3f %10.0f %10.3f %12.2f %10.2f %10.2f %10.1f%n",
          e.getKey(),
          m.firstAnswerMs(),
          m.firstAnswerMs() / bare.firstAnswerMs(),
          m.rps(),
          m.rps() / bare.rps(),
          m.cpuUsPerRequest(),
          m.cpuUsPerRequest() - bare.cpuUsPerRequest(),
          m.p99Ms(),
          m.heapMiB());
      if (e.getKey().equals("nova")) {
        System.out.printf(
            Locale.ROOT,
            "%-36s Nova's threads: %.2f%% of one core under load, %.2f%% idle%n",
            "",
            100 * m.novaLoadShare(),
            100 * m.novaIdleShare());
      }
    }
    System.out.println();
  }

  /** The median of each figure on its own. */
  private static Result median(List<Result> rs) {
    return new Result(
        med(rs, Result::firstAnswerMs),
        med(rs, Result::rps),
        med(rs, Result::p99Ms),
        med(rs, Result::cpuUsPerRequest),
        med(rs, Result::novaLoadShare),
        med(rs, Result::novaIdleShare),
        med(rs, Result::heapMiB));
  }

  private static double med(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
    double[] v = rs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static Host host(String name, String app) throws IOException {
    Pattern listening = Pattern.compile("listening (\\d+)");
    return switch (name) {
      case "netty" ->
          new Host(
              "Netty 4.1 hello world",
              compiled("netty", "hello.NettyHello"),
              "/",
              listening,
              false);
      case "h2c" ->
          new Host(
              "Netty 4.1 h2c hello world (frame codec, multiplex)",
              compiled("netty", "hello.NettyH2cHello"),
              "/",
              listening,
              true);
      case "tomcat" ->
          new Host(
              "embedded Tomcat 10.1 hello world",
              compiled("tomcat", "hello.TomcatHello"),
              "/",
              listening,
              false);
      case "spring" ->
          new Host(
              "Spring Boot 3.5 orders app (Tomcat, JDBC on H2)",
              List.of("-jar", app, "--server.port=0", "--server.address=127.0.0.1"),
              appPath,
              Pattern.compile("Tomcat started on port[s(]*\\D*(\\d+)"),
              false);
      default -> throw new IllegalArgumentException("unknown host " + name);
    };
  }

  /** The host's class path and main class: its jars, and its source compiled once per run. */
  static List<String> compiled(String name, String main) throws IOException {
    Path lib = Path.of("jmh", "target", "hosts", name);
    Path src = Path.of("jmh", "src", "hosts", name, main.replace('.', '/') + ".java");
    Path out = Path.of("jmh", "target", "hosts", name + "-classes");
    String jars;
    try (Stream<Path> s = Files.list(lib)) {
      jars =
          s.map(Path::toString)
              .filter(p -> p.endsWith(".jar"))
              .sorted()
              .collect(Collectors.joining(java.io.File.pathSeparator));
    }
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int code =
        javac.run(
            null,
            null,
            null,
            "--release",
            "17",
            "-nowarn",
            "-sourcepath",
            Path.of("jmh", "src", "hosts", name).toString(),
            "-cp",
            jars,
            "-d",
            out.toString(),
            src.toString());
    if (code != 0) {
      throw new IllegalStateException("compiling " + src + " failed");
    }
    return List.of("-cp", out + java.io.File.pathSeparator + jars, main);
  }

  private static Result run(
      Host host, List<String> agent, int seconds, int warmup, int idle, int conns)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin);
    cmd.addAll(agent);
    cmd.addAll(host.command());
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread reader = new Thread(() -> drain(p.getInputStream(), host.ready(), port));
      reader.setDaemon(true);
      reader.start();
      int n = port.get(120, TimeUnit.SECONDS);
      String url = "http://127.0.0.1:" + n + host.path();
      while (status(url) != 200) {
        if (!p.isAlive()) {
          throw new IllegalStateException(host.name() + " exited with " + p.exitValue());
        }
        Thread.sleep(5); // polling for the first answer, which is what is measured
      }
      double first = (System.nanoTime() - t0) / 1e6;
      if (startupOnly) {
        return new Result(first, 0, 0, 0, 0, 0, 0);
      }
      long pid = p.pid();
      load(host, url, warmup, conns);
      long cpu0 = cpuTicks(pid);
      long nova0 = novaTicks(pid);
      long w0 = System.nanoTime();
      double[] rpsP99Requests = load(host, url, seconds, conns);
      double wall = (System.nanoTime() - w0) / 1e9;
      long cpu1 = cpuTicks(pid);
      long nova1 = novaTicks(pid);
      long i0 = System.nanoTime();
      Thread.sleep(idle * 1000L); // the idle window itself is what is measured
      double idleWall = (System.nanoTime() - i0) / 1e9;
      long nova2 = novaTicks(pid);
      double heap = heapAfterGc(pid);
      return new Result(
          first,
          rpsP99Requests[0],
          rpsP99Requests[1],
          (cpu1 - cpu0) * 1e6 / CLK_TCK / rpsP99Requests[2],
          (nova1 - nova0) / (double) CLK_TCK / wall,
          (nova2 - nova1) / (double) CLK_TCK / idleWall,
          heap);
    } finally {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  static void drain(InputStream in, Pattern ready, CompletableFuture<Integer> port) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!port.isDone()) {
          Matcher m = ready.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
  }

  private static int status(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(5000);
      int s = c.getResponseCode();
      try (InputStream in = s < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return s;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Requests per second, p99 in ms, and the number of requests. */
  private static double[] load(Host host, String url, int seconds, int conns) throws Exception {
    if (host.h2()) {
      return h2load ? h2load(url, seconds, conns) : javaH2Client(url, seconds, conns);
    }
    return wrk ? wrk(url, seconds, conns) : javaClient(url, seconds, conns);
  }

  /** The 99th percentile of sorted values, NaN when there are none. */
  private static double p99(long[] sorted) {
    return sorted.length == 0
        ? Double.NaN
        : sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)];
  }

  /** A load generator's run: its output once it has ended. */
  private static String output(String... command) throws Exception {
    Process w = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    w.waitFor();
    return out;
  }

  private static final Pattern H2_FINISHED =
      Pattern.compile("finished in ([0-9.]+)s, ([0-9.]+) req/s");
  private static final Pattern H2_SUCCEEDED = Pattern.compile("(\\d+) succeeded");

  /**
   * nghttp2's load generator on h2c by prior knowledge: one thread, {@code conns} connections with
   * {@link #H2_STREAMS} streams in flight each; p99 from its per-request log.
   */
  private static double[] h2load(String url, int seconds, int conns) throws Exception {
    Path log = Files.createTempFile("nova-h2load", ".tsv");
    try {
      String out =
          output(
              "h2load",
              "-t1",
              "-c" + conns,
              "-m" + H2_STREAMS,
              "-D" + seconds,
              "--log-file=" + log,
              url);
      Matcher fin = H2_FINISHED.matcher(out);
      Matcher ok = H2_SUCCEEDED.matcher(out);
      if (!fin.find() || !ok.find()) {
        throw new IllegalStateException("h2load said: " + out);
      }
      long[] us;
      try (Stream<String> lines = Files.lines(log)) {
        us =
            lines
                .map(l -> l.split("\t"))
                .filter(f -> f.length >= 3)
                .mapToLong(f -> Long.parseLong(f[2].trim()))
                .sorted()
                .toArray();
      }
      double p99 = p99(us) / 1000.0;
      return new double[] {Double.parseDouble(fin.group(2)), p99, Long.parseLong(ok.group(1))};
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Where h2load is missing: the JDK's HttpClient on HTTP/2 (cleartext by upgrade on its first
   * request, then one multiplexed connection), {@code conns} threads each sending its next request
   * on the answer.
   */
  private static double[] javaH2Client(String url, int seconds, int conns) throws Exception {
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_2)
            .build();
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(URI.create(url)).build();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong count = new AtomicLong();
    List<Long> lat = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < conns; i++) {
      Thread t =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long t1 = System.nanoTime();
                  try {
                    client.send(req, java.net.http.HttpResponse.BodyHandlers.discarding());
                  } catch (IOException e) {
                    return;
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  if (count.incrementAndGet() % 100 == 0) {
                    lat.add(System.nanoTime() - t1); // one in a hundred: enough for a p99
                  }
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    long[] ns = lat.stream().mapToLong(Long::longValue).sorted().toArray();
    double p99 = p99(ns) / 1e6;
    return new double[] {count.get() / wall, p99, count.get()};
  }

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");

  private static double[] wrk(String url, int seconds, int conns) throws Exception {
    String out = output("wrk", "-t1", "-c" + conns, "-d" + seconds + "s", "--latency", url);
    Matcher rps = RPS.matcher(out);
    Matcher total = TOTAL.matcher(out);
    Matcher p99 = P99.matcher(out);
    if (!rps.find() || !total.find() || !p99.find()) {
      throw new IllegalStateException("wrk said: " + out);
    }
    double v = Double.parseDouble(p99.group(1));
    double ms =
        switch (p99.group(2)) {
          case "us" -> v / 1000;
          case "s" -> v * 1000;
          default -> v;
        };
    return new double[] {Double.parseDouble(rps.group(1)), ms, Long.parseLong(total.group(1))};
  }

  /** Keep-alive connections, one thread each, each sending its next request on the answer. */
  private static double[] javaClient(String url, int seconds, int conns) throws Exception {
    URI u = URI.create(url);
    byte[] request =
        ("GET " + u.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong count = new AtomicLong();
    List<long[]> lat = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < conns; i++) {
      Thread t =
          new Thread(
              () -> {
                long[] hist = new long[10_000]; // 10 us buckets up to 100 ms
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress(u.getHost(), u.getPort()));
                  s.setTcpNoDelay(true);
                  OutputStream out = s.getOutputStream();
                  InputStream in = s.getInputStream();
                  while (System.nanoTime() < end) {
                    long t1 = System.nanoTime();
                    out.write(request);
                    readResponse(in);
                    hist[(int) Math.min(hist.length - 1, (System.nanoTime() - t1) / 10_000)]++;
                    count.incrementAndGet();
                  }
                } catch (IOException e) {
                  // the connection ended: its count stands
                }
                lat.add(hist);
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double wall = (System.nanoTime() - start) / 1e9;
    long[] all = new long[10_000];
    for (long[] h : lat) {
      for (int i = 0; i < all.length; i++) {
        all[i] += h[i];
      }
    }
    long n = count.get();
    long seen = 0;
    int bucket = 0;
    while (bucket < all.length && seen + all[bucket] < Math.ceil(0.99 * n)) {
      seen += all[bucket++];
    }
    return new double[] {n / wall, (bucket + 1) * 0.01, n};
  }

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");

  /** Reads one response with a Content-Length body. */
  private static void readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    Matcher m = CONTENT_LENGTH.matcher(head);
    int len = m.find() ? Integer.parseInt(m.group(1)) : 0;
    in.readNBytes(len);
  }

  /** The process's user and system CPU, in clock ticks. */
  private static long cpuTicks(long pid) throws IOException {
    return ticks(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** The CPU of Nova's own threads and the JVM's JFR threads, in clock ticks. */
  private static long novaTicks(long pid) throws IOException {
    long sum = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String comm = Files.readString(t.resolve("comm")).trim();
          if (comm.startsWith("nova") || comm.startsWith("JFR")) {
            sum += ticks(t.resolve("stat"));
          }
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return sum;
  }

  private static long ticks(Path stat) throws IOException {
    String s = Files.readString(stat);
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
  }

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** The heap in use right after a full GC, from the JDK's own {@code jcmd}. */
  static double heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
  }

  static String jcmd(long pid, String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, List<String>> options(String[] args) {
    Map<String, List<String>> o = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        System.err.println("usage: SystemBench [--key value]... (see the class's Javadoc)");
        System.exit(2);
      }
      o.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
    }
    return o;
  }

  private static List<String> words(String args) {
    return args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+"));
  }

  private static String one(Map<String, List<String>> o, String key, String dflt) {
    List<String> v = o.get(key);
    return v == null ? dflt : v.get(v.size() - 1);
  }
}
