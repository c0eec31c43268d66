package dev.nova.jmh;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A host's ordinary work (a map lookup, a loop over a payload, a short-lived object): {@link
 * BenchMain} runs it in a bare JVM and in a JVM with the Nova agent attached, in the same run, and
 * prints the ratio. With no instrumentation yet, this is the cost of Nova merely being there: its
 * detector thread, its listener, its class loading.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HostWorkloadBenchmark {
  private final int[] payload = new int[1024];
  private final Map<Integer, Integer> routes = new HashMap<>();
  private int seed;

  @Setup
  public void fill() {
    for (int i = 0; i < payload.length; i++) {
      payload[i] = i * 31 + 7;
    }
    for (int i = 0; i < 64; i++) {
      routes.put(i, i * i);
    }
  }

  /** A request's worth of work: look up a route, checksum a payload, build a small answer. */
  @Benchmark
  public long requestLikeWork() {
    int s = seed++;
    int route = routes.get(s & 63);
    long h = route;
    for (int v : payload) {
      h = h * 31 + (v ^ s);
    }
    return new long[] {h, s}[0];
  }
}
