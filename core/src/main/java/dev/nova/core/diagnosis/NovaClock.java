package dev.nova.core.diagnosis;

import java.time.Instant;

/** Time as Nova's detectors see it. Tests hand in a clock they drive; production uses the JVM's. */
public interface NovaClock {
  /** Monotonic nanoseconds, for durations and windows. */
  long nanoTime();

  /** Wall-clock time, for what a person reads. */
  Instant now();

  NovaClock SYSTEM =
      new NovaClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public Instant now() {
          return Instant.now();
        }
      };
}
