package dev.nova.core.remediation;

import java.util.List;
import java.util.Map;

/**
 * One remediation: a closed, typed operation on something Nova itself tracks. No action takes a
 * file path, an expression or an MBean name from the request.
 *
 * <p>Every action supports a dry run: with {@link ActionRequest#dryRun()} it answers what it would
 * do and changes nothing.
 */
public interface Action {
  /** The name in {@code POST /debug/nova/actions/<name>}: lower-case words joined by dashes. */
  String name();

  /** One line for a person. */
  String description();

  /** The parameters it takes besides {@code dryRun}. */
  List<Param<?>> params();

  /**
   * Runs the action (or, on a dry run, only says what it would do).
   *
   * @return JSON-shaped figures: what was there before, what is there after, what was done
   * @throws ActionException when the action refuses or cannot finish, with the status to answer
   */
  Map<String, Object> run(ActionRequest request) throws ActionException;
}
