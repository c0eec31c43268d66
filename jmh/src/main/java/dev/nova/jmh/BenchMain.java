package dev.nova.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every overhead benchmark twice in one run, bare and with {@code -javaagent}, and prints each
 * pair's ratio (with agent / bare throughput).
 *
 * <pre>
 * java -jar jmh/target/nova-jmh.jar [path/to/nova-agent.jar]
 * </pre>
 *
 * {@code -Dnova.jmh.quick=true} runs a short smoke version (numbers not worth quoting).
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/nova-agent.jar");
    if (!Files.isRegularFile(agent)) {
      System.err.println(
          "no agent jar at " + agent + "; build it first: mvn -q -DskipTests package");
      System.exit(2);
    }
    boolean quick = Boolean.getBoolean("nova.jmh.quick");
    String only = System.getProperty("nova.jmh.only", "");
    List<String> pairs =
        List.of(
            HostWorkloadBenchmark.class.getSimpleName(),
            AllocationBenchmark.class.getSimpleName(),
            JdbcExecuteBenchmark.class.getSimpleName(),
            HikariBorrowBenchmark.class.getSimpleName(),
            NettyHttpBenchmark.class.getSimpleName(),
            NettyHttp2Benchmark.class.getSimpleName(),
            NettyFrameBenchmark.class.getSimpleName(),
            GrpcCallBenchmark.class.getSimpleName(),
            JettyServletBenchmark.class.getSimpleName(),
            TomcatServletBenchmark.class.getSimpleName());
    List<String> lines = new ArrayList<>();
    for (String bench : pairs) {
      if (!only.isEmpty() && !bench.contains(only)) {
        continue;
      }
      String agentArg =
          "-javaagent:"
              + agent.toAbsolutePath()
              + "=port=0"
              + System.getProperty("nova.jmh.agentOptions", "");
      int rounds = Integer.getInteger("nova.jmh.rounds", 1);
      if (rounds > 1) {
        lines.addAll(alternating(bench, rounds, agentArg));
        continue;
      }
      Collection<RunResult> bare = run(bench, quick, null);
      Collection<RunResult> with = run(bench, quick, agentArg);
      for (RunResult b : bare) {
        String label = b.getParams().getBenchmark();
        for (RunResult w : with) {
          if (w.getParams().getBenchmark().equals(label)) {
            lines.add(
                pair(
                    label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1),
                    b.getPrimaryResult(),
                    w.getPrimaryResult()));
          }
        }
      }
    }
    System.out.println();
    System.out.println("Nova overhead: each benchmark bare and with the agent, in this run");
    lines.forEach(System.out::println);
  }

  /**
   * Small costs drown in the drift of a busy 2-core machine over a long run, so with {@code
   * nova.jmh.rounds=N} the bare and agent runs alternate N times (2 forks each, bare first in odd
   * rounds, the agent first in even ones) and each round's ratio is printed with the median of them
   * all: drift then hits both sides alike.
   */
  static List<String> alternating(String bench, int rounds, String agentArg) throws Exception {
    List<String> out = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      // the order swaps every round, so whatever favours the first or the second run cancels out
      Result<?> bare;
      Result<?> with;
      if (r % 2 == 1) {
        bare = first(runWith(bench, 2, null));
        with = first(runWith(bench, 2, agentArg));
      } else {
        with = first(runWith(bench, 2, agentArg));
        bare = first(runWith(bench, 2, null));
      }
      boolean perOp = bare.getScoreUnit().endsWith("/op");
      double cost = perOp ? with.getScore() / bare.getScore() : bare.getScore() / with.getScore();
      ratios.add(cost);
      out.add(pair(bench + " round " + r, bare, with));
    }
    ratios.sort(null);
    double median =
        rounds % 2 == 1
            ? ratios.get(rounds / 2)
            : (ratios.get(rounds / 2 - 1) + ratios.get(rounds / 2)) / 2;
    out.add(
        String.format(
            "%-40s median cost x%.3f over %d alternating rounds (min x%.3f, max x%.3f)",
            bench, median, rounds, ratios.get(0), ratios.get(rounds - 1)));
    return out;
  }

  private static Result<?> first(Collection<RunResult> results) {
    return results.iterator().next().getPrimaryResult();
  }

  /** One line: both scores with their error, the cost factor, and the time added per op. */
  static String pair(String name, Result<?> bare, Result<?> with) {
    boolean perOp = bare.getScoreUnit().endsWith("/op");
    double cost = perOp ? with.getScore() / bare.getScore() : bare.getScore() / with.getScore();
    String added =
        perOp
            ? String.format(
                "   added %.1f %s", with.getScore() - bare.getScore(), bare.getScoreUnit())
            : "";
    return String.format(
        "%-40s bare %.1f ± %.1f %s   with agent %.1f ± %.1f %s   cost x%.3f%s",
        name,
        bare.getScore(),
        bare.getScoreError(),
        bare.getScoreUnit(),
        with.getScore(),
        with.getScoreError(),
        with.getScoreUnit(),
        cost,
        added);
  }

  private static Collection<RunResult> run(String bench, boolean quick, String jvmArg)
      throws Exception {
    return runWith(bench, quick ? 1 : 5, jvmArg);
  }

  private static Collection<RunResult> runWith(String bench, int forks, String jvmArg)
      throws Exception {
    boolean quick = forks == 1;
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(bench)
            .forks(forks)
            .warmupIterations(quick ? 1 : 4)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(quick ? 2 : 5)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgs("-Xms1g", "-Xmx1g"); // not the parent's: its -Dnova.jmh.* are not Nova options
    if (jvmArg != null) {
      o.jvmArgs("-Xms1g", "-Xmx1g", jvmArg);
    }
    return new Runner(o.build()).run();
  }
}
