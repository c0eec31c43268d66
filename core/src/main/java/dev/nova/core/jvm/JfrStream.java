package dev.nova.core.jvm;

import dev.nova.core.health.NovaHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;

/**
 * Nova's one in-process JDK Flight Recorder stream. Each consumer enables only the events it reads
 * (with its own thresholds) before {@link #start}; events are handled on a daemon thread of Nova's,
 * never on the host's. If JFR is off, missing or refuses to start, the stream stays down and {@link
 * #status()} says why; the host is never affected.
 */
public final class JfrStream implements AutoCloseable {
  private final NovaHealth health;
  private final List<Consumer<RecordingStream>> consumers = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final CountDownLatch streaming = new CountDownLatch(1);
  private volatile RecordingStream stream;
  private volatile String status = "not started";

  public JfrStream(NovaHealth health) {
    this.health = health;
  }

  /** Adds a consumer: it enables its events and registers its handlers on the stream. */
  public synchronized void add(String eventNames, Consumer<RecordingStream> consumer) {
    events.add(eventNames);
    consumers.add(consumer);
  }

  /**
   * Starts the stream {@code delay} from now on a daemon thread of Nova's ({@code jfr.delay}):
   * JFR's own start-up (a few hundred classes and its threads, some 200 ms of CPU) then falls after
   * the host's, where it does not compete with it. Zero starts it at once.
   */
  public void startAfter(boolean useJfr, Duration delay) {
    if (!useJfr || delay.isZero()) {
      start(useJfr);
      return;
    }
    status = "waiting: starts " + delay.toSeconds() + "s after Nova (jfr.delay)";
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(delay.toMillis()); // the delay itself, as asked
              } catch (InterruptedException e) {
                return; // Nova closed first
              }
              synchronized (this) {
                if (!closed) {
                  start(true);
                }
              }
            },
            "nova-jfr-delay");
    t.setDaemon(true);
    waiting = t;
    t.start();
  }

  private volatile Thread waiting;
  private volatile boolean closed;

  /** Starts the stream; {@code useJfr=false} or any failure leaves it down, said in status. */
  public synchronized void start(boolean useJfr) {
    if (!useJfr) {
      status = "off (jfr=false)";
      return;
    }
    RecordingStream rs = null;
    try {
      rs = new RecordingStream();
      for (Consumer<RecordingStream> c : consumers) {
        c.accept(rs);
      }
      rs.setMaxAge(Duration.ofSeconds(30));
      rs.onError(t -> health.recordSuppressed("jfr stream", t));
      rs.onFlush(streaming::countDown);
      RecordingStream started = rs;
      // startAsync() would handle events on a non-daemon thread of JFR's, which keeps the host's
      // JVM alive: run the stream on a daemon thread of Nova's instead.
      Thread runner =
          new Thread(
              () -> {
                try {
                  started.start();
                } catch (Throwable t) {
                  status = "stopped (" + t + ")";
                }
              },
              "nova-jfr");
      runner.setDaemon(true);
      runner.start();
      stream = rs;
      status = "on: " + String.join(", ", events);
    } catch (Throwable t) {
      status = "unavailable (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
      if (rs != null) {
        try {
          rs.close();
        } catch (Throwable ignored) {
          // never started
        }
      }
    }
  }

  /** True once the stream runs. */
  public boolean running() {
    return stream != null && status.startsWith("on");
  }

  /** Turns one event on or off while the stream runs (self-protection sheds optional events). */
  public void setEnabled(String event, boolean on, Consumer<jdk.jfr.EventSettings> settings) {
    RecordingStream rs = stream;
    if (rs == null) {
      return;
    }
    try {
      if (on) {
        settings.accept(rs.enable(event));
      } else {
        rs.disable(event);
      }
    } catch (Throwable t) {
      health.recordSuppressed("jfr settings", t);
    }
  }

  /** Waits until JFR has delivered its first batch, so events from now on are seen. */
  public boolean awaitStreaming(Duration timeout) throws InterruptedException {
    return streaming.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A JFR stack as the JDK's own stack elements (file names derived from the class). */
  public static StackTraceElement[] trace(RecordedStackTrace stack) {
    if (stack == null) {
      return new StackTraceElement[0];
    }
    List<RecordedFrame> frames = stack.getFrames();
    List<StackTraceElement> trace = new ArrayList<>(frames.size());
    for (RecordedFrame f : frames) {
      // a frame JFR could not resolve (a method unloaded since, say) has no method: skipped
      if (f == null || f.getMethod() == null || f.getMethod().getType() == null) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      String outer = type.substring(type.lastIndexOf('.') + 1);
      int dollar = outer.indexOf('$');
      String file = (dollar < 0 ? outer : outer.substring(0, dollar)) + ".java";
      trace.add(new StackTraceElement(type, f.getMethod().getName(), file, f.getLineNumber()));
    }
    return trace.toArray(new StackTraceElement[0]);
  }

  public String status() {
    return status;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    Thread w = waiting;
    if (w != null) {
      w.interrupt();
    }
    RecordingStream rs = stream;
    stream = null;
    if (rs != null) {
      try {
        rs.close();
      } catch (RuntimeException ignored) {
        // already closed
      }
    }
  }
}
