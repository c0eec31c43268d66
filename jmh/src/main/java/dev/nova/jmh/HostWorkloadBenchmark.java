package dev.nova.jmh;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A host's ordinary work (maps, strings, short-lived objects): {@link BenchMain} runs it in a bare
 * JVM and in a JVM with the Nova agent attached, in the same run, and prints the ratio. With no
 * instrumentation yet, this is the cost of Nova merely being there: its detector thread, its
 * listener, its class loading.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HostWorkloadBenchmark {
  private int seed;

  @Benchmark
  public int requestLikeWork() {
    Map<Integer, Integer> m = new HashMap<>(64);
    int s = seed++;
    for (int i = 0; i < 32; i++) {
      m.put(s + i, i);
    }
    int sum = 0;
    for (int v : m.values()) {
      sum += v;
    }
    return sum + m.get(s);
  }
}
