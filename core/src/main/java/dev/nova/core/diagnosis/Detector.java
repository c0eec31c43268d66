package dev.nova.core.diagnosis;

import dev.nova.core.finding.Finding;
import java.util.List;

/**
 * Turns one area's signals into findings. Each detector runs on Nova's detector thread, one at a
 * time, so it needs no locking of its own state; what it reads from probes must be thread-safe.
 *
 * <p>A detector that throws is counted and skipped for that round; its previous findings are kept
 * until it next succeeds.
 */
public interface Detector {
  /** A short stable name, used in meters and the report ({@code jvm-heap}, {@code jdbc-leak}). */
  String name();

  /**
   * Evaluates the current state.
   *
   * @param clock the scheduler's clock: read time from it, never from the system
   * @return the findings that hold now; empty when all is well
   */
  List<Finding> evaluate(NovaClock clock);
}
