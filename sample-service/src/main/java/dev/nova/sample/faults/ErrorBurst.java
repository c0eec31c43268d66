package dev.nova.sample.faults;

/**
 * Runbook 1 "502/503 after a deploy": while on, stream requests answer 503 (a dependency the new
 * release cannot reach). The answer itself is made by the request path, which asks {@link #on}.
 */
public final class ErrorBurst extends ToggleFault {
  public ErrorBurst() {
    super("error-burst", "stream requests answer 503 (runbook 1, errors after a deploy)");
  }
}
