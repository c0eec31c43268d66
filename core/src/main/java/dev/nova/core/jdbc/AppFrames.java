package dev.nova.core.jdbc;

import dev.nova.core.finding.StackFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * A stack as a person wants it: the application's frames first. Frames of the JDK, of JDBC drivers
 * and pools, of proxies and of Nova itself are dropped from the top until the first frame that
 * belongs to the application; what follows is kept as it is.
 */
public final class AppFrames {
  private static final String[] INFRASTRUCTURE = {
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "dev.nova.core.",
    "dev.nova.agent.",
    "dev.nova.spring.",
    "org.springframework.aop.",
    "net.bytebuddy.",
    "com.zaxxer.hikari.",
    "org.h2.",
    "org.postgresql.",
    "com.mysql.",
    "org.mariadb.",
    "oracle.jdbc.",
    "com.microsoft.sqlserver.",
    "org.apache.commons.dbcp2.",
    "org.apache.commons.pool2.",
    "org.apache.tomcat.jdbc.",
    "com.mchange.",
    "org.hsqldb.",
    "org.sqlite.",
    "org.springframework.jdbc.datasource.",
    "$Proxy",
    "jdk.proxy"
  };

  private AppFrames() {}

  public static boolean isInfrastructure(String className) {
    if (className.contains("$Proxy")
        || className.startsWith("jdk.proxy")
        || className.contains("$$SpringCGLIB$$")) {
      return true;
    }
    for (String p : INFRASTRUCTURE) {
      if (className.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Application frames first, at most {@code max}; the whole stack if none is the application's.
   */
  public static List<String> of(StackTraceElement[] trace, int max) {
    int first = 0;
    while (first < trace.length && isInfrastructure(trace[first].getClassName())) {
      first++;
    }
    if (first == trace.length) {
      first = 0;
    }
    List<String> out = new ArrayList<>(Math.min(max, trace.length - first));
    for (int i = first; i < trace.length && out.size() < max; i++) {
      out.add(StackFrames.format(trace[i]));
    }
    return out;
  }

  /**
   * The first application frame of a printed stack ({@code Class.method(File.java:1)}), or null.
   */
  public static String firstApplication(List<String> printed) {
    for (String f : printed) {
      int paren = f.indexOf('(');
      String method = paren < 0 ? f : f.substring(0, paren);
      int dot = method.lastIndexOf('.');
      if (dot > 0 && !isInfrastructure(method.substring(0, dot)) && !method.contains("$$Lambda")) {
        return f;
      }
    }
    return null;
  }

  /** The first application frame, or the first frame. */
  public static String callingFrame(StackTraceElement[] trace) {
    List<String> f = of(trace, 1);
    return f.isEmpty() ? "(unknown)" : f.get(0);
  }
}
