package dev.nova.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Allocation-heavy host work (short-lived lists, arrays and strings, so the young collector runs
 * all the time): with the agent, Nova's GC notification listener, its JFR stream and its detectors
 * run beside it. {@link BenchMain} pairs it with its bare twin.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AllocationBenchmark {
  private int seed;

  @Benchmark
  public int allocateAndDrop() {
    List<int[]> chunks = new ArrayList<>(32);
    int s = seed++;
    for (int i = 0; i < 32; i++) {
      int[] a = new int[64];
      a[i] = s + i;
      chunks.add(a);
    }
    return chunks.get(s & 31)[(s & 31)] + Integer.toString(s).length();
  }
}
