package dev.nova.core.diagnosis;

import dev.nova.core.finding.Finding;
import dev.nova.core.finding.Severity;
import java.time.Duration;
import java.util.List;

/**
 * Keeps a finding for a while after its condition clears, so that a sawtooth does not make it
 * flicker: the runbook's "falls only after it has been clear for a while". One per finding kind,
 * used from the detector thread only.
 */
public final class Hold {
  /** How long a finding stays after its condition clears, unless {@code findings.hold} says. */
  public static final Duration DEFAULT = Duration.ofSeconds(30);

  private final long holdNanos;
  private final long escalateNanos;
  private Finding last;
  private long lastTrue = Long.MIN_VALUE;
  private long since = Long.MIN_VALUE;

  public Hold(Duration hold) {
    this(hold, null);
  }

  /**
   * With {@code escalateAfter}, a condition that has lasted that long without clearing is raised
   * one band (never past CRITICAL): the runbook's "severity rises while a condition lasts".
   */
  public Hold(Duration hold, Duration escalateAfter) {
    this.holdNanos = hold.toNanos();
    this.escalateNanos = escalateAfter == null ? Long.MAX_VALUE : escalateAfter.toNanos();
  }

  /** Adds to {@code out} the finding that holds {@code at}: the new one, or the held one. */
  public void add(List<Finding> out, Finding now, long at) {
    if (now != null) {
      if (last == null) {
        since = at;
      }
      if (at - since >= escalateNanos && now.severity() != Severity.CRITICAL) {
        now =
            now.with(
                Severity.values()[now.severity().ordinal() - 1],
                now.title() + " (for " + (at - since) / 60_000_000_000L + " min)");
      }
      last = now;
      lastTrue = at;
      out.add(now);
    } else if (last != null && at - lastTrue < holdNanos) {
      out.add(last);
    } else {
      last = null;
    }
  }
}
