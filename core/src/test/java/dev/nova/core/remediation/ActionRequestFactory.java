package dev.nova.core.remediation;

import java.util.Map;

/** Parses request parameters the way the dispatcher does, for tests of single actions. */
public final class ActionRequestFactory {
  private ActionRequestFactory() {}

  public static ActionRequest of(Action action, Map<String, String> query) {
    return ActionDispatcher.parse(action, query);
  }
}
