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
 */
public record Finding(
    String code, Severity severity, String title, Evidence evidence, List<String> actions) {
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

  /** A finding of one of Nova's own codes. */
  public Finding(
      FindingCode code, Severity severity, String title, Evidence evidence, List<String> actions) {
    this(code.code(), severity, title, evidence, actions);
  }
}
