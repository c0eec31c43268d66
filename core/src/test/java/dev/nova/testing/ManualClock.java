package dev.nova.testing;

import dev.nova.core.diagnosis.NovaClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock a test moves by hand. */
public final class ManualClock implements NovaClock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Instant epoch = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant now() {
    return epoch.plusNanos(nanos.get());
  }

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }
}
