package dev.nova.core.jdbc;

import java.util.Locale;

/**
 * The part of a JDBC URL that is safe to show: the target host and port (and database kind), never
 * user-info, parameters or passwords.
 */
public final class JdbcUrl {
  private JdbcUrl() {}

  /** {@code host:port} (or a descriptive word for in-memory and file databases), never secrets. */
  public static String target(String url) {
    if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return "(unknown)";
    }
    String rest = url.substring(5);
    int colon = rest.indexOf(':');
    String kind = colon < 0 ? rest : rest.substring(0, colon);
    kind = kind.toLowerCase(Locale.ROOT);
    int slashes = rest.indexOf("//");
    if (slashes < 0) {
      if (kind.equals("h2")) {
        return rest.startsWith("h2:mem:") ? "h2 in-memory" : "h2 file";
      }
      return kind;
    }
    String authority = rest.substring(slashes + 2);
    int end = authority.length();
    for (char c : new char[] {'/', '?', ';'}) {
      int i = authority.indexOf(c);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    authority = authority.substring(0, end);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    if (authority.isEmpty()) {
      return kind + " (default host)";
    }
    if (authority.indexOf(':') < 0 && !authority.contains(",")) {
      String port =
          switch (kind) {
            case "postgresql" -> "5432";
            case "mysql", "mariadb" -> "3306";
            case "sqlserver" -> "1433";
            default -> null;
          };
      if (port != null) {
        authority = authority + ":" + port;
      }
    }
    return authority;
  }
}
