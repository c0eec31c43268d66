package dev.nova.core.finding;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Stack traces as the contract shows them: {@code fully.qualified.Class.method(File.java:123)}.
 *
 * <p>Unlike {@link StackTraceElement#toString()} this never prefixes a module or class loader name,
 * so the form is the same on every JDK.
 */
public final class StackFrames {
  private StackFrames() {}

  public static String format(StackTraceElement e) {
    StringBuilder sb = new StringBuilder(96);
    sb.append(withoutHiddenSuffix(e.getClassName()))
        .append('.')
        .append(e.getMethodName())
        .append('(');
    if (e.isNativeMethod()) {
      sb.append("Native Method");
    } else if (e.getFileName() == null) {
      sb.append("Unknown Source");
    } else {
      sb.append(e.getFileName());
      if (e.getLineNumber() >= 0) {
        sb.append(':').append(e.getLineNumber());
      }
    }
    return sb.append(')').toString();
  }

  /** At most {@code maxDepth} frames of {@code trace}, formatted. */
  public static List<String> format(StackTraceElement[] trace, int maxDepth) {
    int n = Math.min(trace.length, Math.max(0, maxDepth));
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(format(trace[i]));
    }
    return out;
  }

  /**
   * Normalizes a frame printed by {@link StackTraceElement#toString()} (as the JDK's own JSON
   * thread dump writes it) to the contract's form: drops a {@code loader/module@version/} prefix.
   */
  public static String normalize(String printed) {
    String p = HIDDEN.matcher(printed).replaceAll("");
    int paren = p.indexOf('(');
    String head = paren < 0 ? p : p.substring(0, paren);
    int slash = head.lastIndexOf('/');
    return slash < 0 ? p : p.substring(slash + 1);
  }

  private static final Pattern HIDDEN = Pattern.compile("/0x[0-9a-fA-F]+");

  /**
   * Drops the {@code /0x...} address of a hidden class ({@code Foo$$Lambda/0x0000...}): it changes
   * from run to run, would split identical stacks into groups, and is not part of the form.
   */
  static String withoutHiddenSuffix(String className) {
    int slash = className.indexOf('/');
    return slash < 0 ? className : className.substring(0, slash);
  }
}
