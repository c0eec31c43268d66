package dev.nova.core.pool;

/**
 * One connection pool as Nova reads and steers it. Implementations reach the pool reflectively:
 * Nova never links against the host's pool classes, which may live in another class loader.
 */
public interface PoolView {
  String name();

  /** False once the pool is closed or collected; the registry then forgets it. */
  boolean alive();

  int active();

  int idle();

  int total();

  int max();

  int waiting();

  /** Closes idle connections softly (in use ones when they return); false when unsupported. */
  boolean softEvict();

  /** Sets the maximum size; false when unsupported. */
  boolean resize(int max);

  /** The smallest maximum this pool accepts (its minimum idle, at least 1). */
  int minimum();
}
