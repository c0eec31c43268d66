package dev.nova.core.remediation;

/**
 * An action refused or could not finish for a reason the caller can act on. The status is what the
 * admin listener answers: 400 for a request that cannot be carried out as asked, 403 when a switch
 * forbids it, 404 when the thing named does not exist, 409 when the state does not allow it now,
 * 429 when busy, 503 when the JVM cannot do it.
 */
public class ActionException extends Exception {
  private final int status;

  public ActionException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an action error is a 4xx or 5xx status: " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
