package dev.nova.sample.faults;

/**
 * Runbook 1 "502/503 after a deploy": while on, stream requests answer 503 (a dependency the new
 * release cannot reach). The answer itself is made by the request path, which asks {@link #on}.
 */
public final class ErrorBurst implements Fault {
  private volatile boolean on;

  @Override
  public String name() {
    return "error-burst";
  }

  @Override
  public String description() {
    return "stream requests answer 503 (runbook 1, errors after a deploy)";
  }

  @Override
  public void start() {
    on = true;
  }

  public boolean on() {
    return on;
  }

  @Override
  public void stop() {
    on = false;
  }

  @Override
  public boolean active() {
    return on;
  }
}
