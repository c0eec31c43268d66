package dev.nova.core.threads;

import dev.nova.core.finding.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Threads grouped by identical stacks, as a finding's evidence lists them: the largest first. */
final class StackGroups {
  static final int GROUPS = 3;
  static final int NAMES = 5;

  private StackGroups() {}

  /** The largest groups ({@value #GROUPS}): each one's thread count, first names and stack. */
  static List<Evidence> evidence(Map<List<String>, List<String>> namesByStack) {
    List<Map.Entry<List<String>, List<String>>> groups = largestFirst(namesByStack);
    List<Evidence> out = new ArrayList<>();
    for (Map.Entry<List<String>, List<String>> g :
        groups.subList(0, Math.min(GROUPS, groups.size()))) {
      out.add(
          Evidence.builder()
              .put("threads", g.getValue().size())
              .list("names", g.getValue().subList(0, Math.min(NAMES, g.getValue().size())))
              .list("stack", g.getKey())
              .build());
    }
    return out;
  }

  /** The groups by size, largest first (a stable sort: ties keep their order). */
  static List<Map.Entry<List<String>, List<String>>> largestFirst(
      Map<List<String>, List<String>> namesByStack) {
    List<Map.Entry<List<String>, List<String>>> groups = new ArrayList<>(namesByStack.entrySet());
    groups.sort((a, b) -> b.getValue().size() - a.getValue().size());
    return groups;
  }
}
