package dev.nova.sample.faults;

/**
 * Runbook 2 "WebSocket drops": while on, the server drops a viewer's connection without a close
 * frame whenever the viewer sends a message (a load balancer cutting idle-looking connections, a
 * crashing node). Viewers see 1006.
 */
public final class DropWebSockets implements Fault {
  private volatile boolean on;

  @Override
  public String name() {
    return "drop-websockets";
  }

  @Override
  public String description() {
    return "viewer connections are dropped without a close frame (runbook 2, 1006 waves)";
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
