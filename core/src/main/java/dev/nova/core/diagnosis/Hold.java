package dev.nova.core.diagnosis;

import dev.nova.core.finding.Finding;
import java.time.Duration;
import java.util.List;

/**
 * Keeps a finding for a while after its condition clears, so that a sawtooth does not make it
 * flicker: the runbook's "falls only after it has been clear for a while". One per finding kind,
 * used from the detector thread only.
 */
public final class Hold {
  private final long holdNanos;
  private Finding last;
  private long lastTrue = Long.MIN_VALUE;

  public Hold(Duration hold) {
    this.holdNanos = hold.toNanos();
  }

  /** Adds to {@code out} the finding that holds {@code at}: the new one, or the held one. */
  public void add(List<Finding> out, Finding now, long at) {
    if (now != null) {
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
