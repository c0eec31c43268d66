package dev.nova.sample.faults;

/**
 * Runbook 2 "WebSocket drops": while on, the server drops a viewer's connection without a close
 * frame whenever the viewer sends a message (a load balancer cutting idle-looking connections, a
 * crashing node). Viewers see 1006. The request path asks {@link #on}.
 */
public final class DropWebSockets extends ToggleFault {
  public DropWebSockets() {
    super(
        "drop-websockets",
        "viewer connections are dropped without a close frame (runbook 2, 1006 waves)");
  }
}
