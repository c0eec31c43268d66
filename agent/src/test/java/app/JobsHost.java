package app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A host with a fixed pool of two workers for its report exports, made the way most code makes one
 * ({@code Executors.newFixedThreadPool}) as the program starts. On stdin: {@code jobs N} starts N
 * exports that wait for a supplier's feed, {@code feed} delivers it, end of input ends the program.
 */
public final class JobsHost {
  private JobsHost() {}

  static final class Reports {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final CountDownLatch feed = new CountDownLatch(1);

    void export() {
      pool.execute(this::build);
    }

    private void build() {
      try {
        feed.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Reports reports = new Reports();
    System.out.println("host-ready pid=" + ProcessHandle.current().pid());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.startsWith("jobs ")) {
        for (int i = Integer.parseInt(line.substring(5).trim()); i > 0; i--) {
          reports.export();
        }
      } else if (line.equals("feed")) {
        reports.feed.countDown();
      }
      System.out.println("done " + line);
    }
    System.exit(0);
  }
}
