package dev.nova.core.finding;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One diagnosis: what is wrong, how bad, what it rests on, and which actions remediate it.
 *
 * @param code a stable UPPER_SNAKE identifier from the contract's list
 * @param severity the runbook's escalation band
 * @param title one line for a person
 * @param evidence the numbers and stacks behind it
 * @param actions names of the actions that remediate it, possibly empty
 * @param where the application frame the finding points at ({@code Class.method(File.java:12)}):
 *     the code a person would open first, named on the page, the log line and the alert; null when
 *     the finding is not about code (a dependency down, an error rate) or none is known yet
 */
public record Finding(
    String code,
    Severity severity,
    String title,
    Evidence evidence,
    List<String> actions,
    String where) {
  /** Compiled once: a finding is made every detector round while it holds. */
  private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(title, "title");
    if (!UPPER_SNAKE.matcher(code).matches()) {
      throw new IllegalArgumentException("finding code must be UPPER_SNAKE: " + code);
    }
    evidence = evidence == null ? Evidence.empty() : evidence;
    actions = actions == null ? List.of() : List.copyOf(actions);
  }

  /** A finding that names no code. */
  public Finding(
      String code, Severity severity, String title, Evidence evidence, List<String> actions) {
    this(code, severity, title, evidence, actions, null);
  }

  /** A finding of one of Nova's own codes. */
  public Finding(
      FindingCode code, Severity severity, String title, Evidence evidence, List<String> actions) {
    this(code.code(), severity, title, evidence, actions, null);
  }

  /** This finding pointing at {@code frame} (null or empty: at nothing). */
  public Finding at(String frame) {
    return new Finding(
        code, severity, title, evidence, actions, frame == null || frame.isEmpty() ? null : frame);
  }

  /** This finding with another severity and title, pointing where it did. */
  public Finding with(Severity severity, String title) {
    return new Finding(code, severity, title, evidence, actions, where);
  }
}
