package dev.nova.core.jvm;

import dev.nova.core.health.NovaHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import jdk.jfr.EventSettings;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;

/**
 * Nova's one in-process JDK Flight Recorder stream, run only while some part of Nova needs its
 * events. Each consumer is a {@link Part}: the events it reads (with its own settings) and its
 * handlers; a part is wanted or not, and the stream is open while at least one part is wanted
 * (after {@code jfr.delay}) and closed when none is, so that a host whose Nova needs no JFR events
 * pays neither JFR's heap (its metadata and parser, some 4 MiB) nor its per-event work. Events are
 * handled on a daemon thread of Nova's, never on the host's. If JFR is off, missing or refuses to
 * start, the stream stays down and {@link #status()} says why; the host is never affected.
 */
public final class JfrStream implements AutoCloseable {
  private final NovaHealth health;
  private final List<Part> parts = new ArrayList<>();
  private volatile CountDownLatch streaming = new CountDownLatch(1);
  private volatile RecordingStream stream;
  private volatile Thread runner; // the thread the open stream runs on
  private volatile String problem;
  private volatile boolean allowed;
  private volatile boolean off;
  private volatile String waitingFor;
  private long opened;

  /** One consumer of the stream: its events and handlers, and whether it wants them now. */
  public final class Part {
    private final String label;
    private final Map<String, Consumer<EventSettings>> events;
    private final Consumer<RecordingStream> handlers;
    private final boolean early;
    private boolean wanted;

    private Part(
        String label,
        Map<String, Consumer<EventSettings>> events,
        Consumer<RecordingStream> handlers,
        boolean wanted,
        boolean early) {
      this.label = label;
      this.events = events;
      this.handlers = handlers;
      this.wanted = wanted;
      this.early = early;
    }

    /** Asks for this part's events or gives them up; opens or closes the stream as needed. */
    public void want(boolean on) {
      synchronized (JfrStream.this) {
        if (wanted == on) {
          return;
        }
        wanted = on;
        RecordingStream rs = stream;
        if (rs != null) {
          apply(rs, this, on);
        }
        refresh();
      }
    }

    public boolean wanted() {
      synchronized (JfrStream.this) {
        return wanted;
      }
    }
  }

  public JfrStream(NovaHealth health) {
    this.health = health;
  }

  /**
   * Adds a consumer: {@code events} are enabled (each with its settings) while the part is wanted,
   * {@code handlers} registered on every stream opened. Parts are added before {@link #start}.
   */
  public synchronized Part add(
      String label,
      Map<String, Consumer<EventSettings>> events,
      Consumer<RecordingStream> handlers,
      boolean wanted) {
    Part p = new Part(label, new LinkedHashMap<>(events), handlers, wanted, false);
    parts.add(p);
    return p;
  }

  /**
   * Adds a consumer that a detector asks for when it suspects trouble, and that may open the stream
   * inside {@code jfr.delay}: the samples that explain a problem present from the host's first
   * seconds must not wait for the delay (it keeps JFR's start out of a healthy start-up, not out of
   * a sick one). Not wanted at first. {@code jfr=false} still keeps it down.
   */
  public synchronized Part addEarly(
      String label,
      Map<String, Consumer<EventSettings>> events,
      Consumer<RecordingStream> handlers) {
    Part p = new Part(label, new LinkedHashMap<>(events), handlers, false, true);
    parts.add(p);
    return p;
  }

  /**
   * Allows the stream {@code delay} from now, on a daemon thread of Nova's ({@code jfr.delay}):
   * JFR's own start-up (a few hundred classes and its threads, some 200 ms of CPU) then falls after
   * the host's, where it does not compete with it. Zero allows it at once.
   */
  public void startAfter(boolean useJfr, Duration delay) {
    if (!useJfr || delay.isZero()) {
      start(useJfr);
      return;
    }
    waitingFor = "waiting: starts " + delay.toSeconds() + "s after Nova (jfr.delay)";
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(delay.toMillis()); // the delay itself, as asked
              } catch (InterruptedException e) {
                return; // Nova closed first
              }
              start(true);
            },
            "nova-jfr-delay");
    t.setDaemon(true);
    waiting = t;
    t.start();
  }

  private volatile Thread waiting;
  private volatile boolean closed;

  /**
   * Allows the stream from now: it opens at once if a part is wanted, else when one is. {@code
   * useJfr=false} or any failure leaves it down, said in status.
   */
  public synchronized void start(boolean useJfr) {
    if (closed) {
      return;
    }
    waitingFor = null;
    if (!useJfr) {
      off = true;
      return;
    }
    allowed = true;
    refresh();
  }

  private void refresh() {
    boolean wantedAny = false;
    boolean early = false;
    for (Part p : parts) {
      wantedAny |= p.wanted;
      early |= p.wanted && p.early;
    }
    boolean open = (allowed && wantedAny) || (early && !off);
    if (open && !closed && problem == null && stream == null) {
      open();
    } else if ((!open || closed) && stream != null) {
      RecordingStream rs = stream;
      stream = null;
      try {
        rs.close();
      } catch (RuntimeException e) {
        health.recordSuppressed("jfr close", e);
      }
    }
  }

  private void apply(RecordingStream rs, Part p, boolean on) {
    try {
      for (Map.Entry<String, Consumer<EventSettings>> e : p.events.entrySet()) {
        if (on) {
          e.getValue().accept(rs.enable(e.getKey()));
        } else {
          rs.disable(e.getKey());
        }
      }
    } catch (Throwable t) {
      health.recordSuppressed("jfr settings", t);
    }
  }

  private void open() {
    RecordingStream rs = null;
    try {
      rs = new RecordingStream();
      for (Part p : parts) {
        p.handlers.accept(rs);
        if (p.wanted) {
          apply(rs, p, true);
        }
      }
      rs.setMaxAge(Duration.ofSeconds(30));
      rs.onError(t -> health.recordSuppressed("jfr stream", t));
      CountDownLatch latch = new CountDownLatch(1);
      streaming = latch;
      rs.onFlush(latch::countDown);
      RecordingStream started = rs;
      // startAsync() would handle events on a non-daemon thread of JFR's, which keeps the host's
      // JVM alive: run the stream on a daemon thread of Nova's instead.
      Thread runner =
          new Thread(
              () -> {
                try {
                  started.start();
                } catch (Throwable t) {
                  if (stream == started) {
                    problem = "stopped (" + t + ")";
                  }
                }
              },
              "nova-jfr");
      runner.setDaemon(true);
      runner.start();
      this.runner = runner;
      stream = rs;
      opened++;
    } catch (Throwable t) {
      problem = "unavailable (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
      if (rs != null) {
        try {
          rs.close();
        } catch (Throwable ignored) {
          // never started
        }
      }
    }
  }

  /** Whether {@code jfr.delay} has passed (and JFR is on): every part may open the stream. */
  public boolean pastDelay() {
    return allowed;
  }

  /** True while the stream is open. */
  public boolean running() {
    return stream != null && problem == null;
  }

  /** Whether JFR can be used at all: not turned off and not failed (it may be idle or waiting). */
  public boolean usable() {
    return !off && problem == null;
  }

  /** How many times a stream was opened (each time a part came to be wanted after none was). */
  public synchronized long timesOpened() {
    return opened;
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

  /** What the stream does now, and for whom. */
  public synchronized String status() {
    if (off) {
      return "off (jfr=false)";
    }
    if (problem != null) {
      return problem;
    }
    if (waitingFor != null && stream == null) {
      return waitingFor;
    }
    List<String> on = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (Part p : parts) {
      all.add(p.label);
      if (p.wanted) {
        on.add(p.label);
      }
    }
    if (stream != null) {
      return "on: "
          + String.join(", ", on)
          + (allowed ? "" : " (early, inside jfr.delay: asked for by a detector)");
    }
    if (!allowed) {
      return "not started";
    }
    return "idle: opened only while needed (" + String.join(", ", all) + ")";
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      refresh();
    }
    Thread w = waiting;
    if (w != null) {
      w.interrupt();
    }
    // the stream is closed: its thread ends as soon as JFR lets it go; a closed Nova leaves no
    // thread of its own behind, so wait for it a little (never long: this may be a shutdown hook)
    Thread r = runner;
    if (r != null && r != Thread.currentThread()) {
      try {
        r.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
