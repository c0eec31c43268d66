package dev.nova.sample.faults;

/**
 * A fault that is only a switch: the request path asks {@link #on} and misbehaves while it is on.
 */
public abstract class ToggleFault implements Fault {
  private final String name;
  private final String description;
  private volatile boolean on;

  ToggleFault(String name, String description) {
    this.name = name;
    this.description = description;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final void start() {
    on = true;
  }

  @Override
  public final void stop() {
    on = false;
  }

  public final boolean on() {
    return on;
  }

  @Override
  public final boolean active() {
    return on;
  }
}
