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
    List<String> pairs = List.of(HostWorkloadBenchmark.class.getSimpleName());
    List<String> lines = new ArrayList<>();
    for (String bench : pairs) {
      Result bare = run(bench, quick, null).iterator().next().getPrimaryResult();
      Result with =
          run(bench, quick, "-javaagent:" + agent.toAbsolutePath() + "=port=0")
              .iterator()
              .next()
              .getPrimaryResult();
      lines.add(
          String.format(
              "%-24s bare %.1f ± %.1f %s   with agent %.1f ± %.1f %s   ratio %.3f",
              bench,
              bare.getScore(),
              bare.getScoreError(),
              bare.getScoreUnit(),
              with.getScore(),
              with.getScoreError(),
              with.getScoreUnit(),
              with.getScore() / bare.getScore()));
    }
    System.out.println();
    System.out.println("Nova overhead (throughput with agent / bare; 1.000 = no cost)");
    lines.forEach(System.out::println);
  }

  private static Collection<RunResult> run(String bench, boolean quick, String jvmArg)
      throws Exception {
    ChainedOptionsBuilder o =
        new OptionsBuilder()
            .include(bench)
            .forks(quick ? 1 : 5)
            .warmupIterations(quick ? 1 : 4)
            .warmupTime(TimeValue.seconds(quick ? 1 : 2))
            .measurementIterations(quick ? 2 : 5)
            .measurementTime(TimeValue.seconds(quick ? 1 : 2))
            .jvmArgsAppend("-Xms1g", "-Xmx1g");
    if (jvmArg != null) {
      o.jvmArgsAppend("-Xms1g", "-Xmx1g", jvmArg);
    }
    return new Runner(o.build()).run();
  }
}
