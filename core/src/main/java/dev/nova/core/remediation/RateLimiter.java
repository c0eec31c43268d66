package dev.nova.core.remediation;

import dev.nova.core.diagnosis.NovaClock;

/** A token bucket: {@code perMinute} permits a minute, bursting up to the same number. */
public final class RateLimiter {
  private final NovaClock clock;
  private final double capacity;
  private final double perNano;
  private double available;
  private long last;

  public RateLimiter(int perMinute, NovaClock clock) {
    this.clock = clock;
    this.capacity = perMinute;
    this.perNano = perMinute / 60e9;
    this.available = perMinute;
    this.last = clock.nanoTime();
  }

  /** Takes one permit if there is one. */
  public synchronized boolean tryAcquire() {
    long now = clock.nanoTime();
    available = Math.min(capacity, available + (now - last) * perNano);
    last = now;
    if (available >= 1.0) {
      available -= 1.0;
      return true;
    }
    return false;
  }

  /** Seconds until the next permit, rounded up; for {@code Retry-After}. */
  public synchronized long secondsUntilNext() {
    double missing = Math.max(0, 1.0 - available);
    return Math.max(1, (long) Math.ceil(missing / perNano / 1e9));
  }
}
