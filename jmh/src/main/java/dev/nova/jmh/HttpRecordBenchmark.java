package dev.nova.jmh;

import dev.nova.core.diagnosis.NovaClock;
import dev.nova.core.http.HttpTracker;
import dev.nova.core.http.Routes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The core's HTTP request path alone: one finished request into {@link HttpTracker#record} (the
 * window and the contract's meters, as every host family's hook ends), four routes and a 5xx in
 * eight, on Nova's own Prometheus registry; beside it, its bare twin hands the same arguments to a
 * blackhole. Not run by {@link BenchMain} (no agent is involved): {@code java -cp
 * jmh/target/nova-jmh.jar org.openjdk.jmh.Main HttpRecordBenchmark}. Built against another {@code
 * nova-core}, the same class measures that build's request path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class HttpRecordBenchmark {
  static final String[] ROUTES = {
    "/api/v1/streams/{id}", "/api/v1/streams", "/health", "/api/v1/token"
  };
  static final String[] METHODS = {"GET", "GET", "POST", "GET"};

  HttpTracker tracker;
  int i;

  @Setup(Level.Trial)
  public void setUp() {
    tracker =
        new HttpTracker(
            NovaClock.SYSTEM,
            new Routes(null),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            Duration.ofMinutes(1),
            Duration.ofSeconds(5));
  }

  private int status(int n) {
    return (n & 7) == 7 ? 503 : 200;
  }

  @Benchmark
  public void record() {
    int n = i++;
    int r = n & 3;
    tracker.record(METHODS[r], ROUTES[r], status(n), 150_000L + (n & 1023), 120, 512);
  }

  @Benchmark
  public void bare(Blackhole bh) {
    int n = i++;
    int r = n & 3;
    bh.consume(METHODS[r]);
    bh.consume(ROUTES[r]);
    bh.consume(status(n));
    bh.consume(150_000L + (n & 1023));
  }
}
