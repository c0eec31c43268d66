package dev.nova.core.jdbc;

/**
 * SQL as Nova shows it: every literal replaced by {@code ?} (strings of every quoting style,
 * numbers, lists of them), comments removed, white space folded, lists in {@code IN (...)} folded
 * to one {@code ?}. Bind values never reach Nova at all; this removes the literals an application
 * wrote into its SQL text, which can be just as secret.
 *
 * <p>A hand-written scanner rather than a SQL parser: it has to be fast, total (never throws on odd
 * input, never grows its output past the input), and err on the side of hiding.
 */
public final class SqlNormalizer {
  static final int MAX_LENGTH = 2000;

  private SqlNormalizer() {}

  private static final java.util.Set<String> WRITING =
      java.util.Set.of(
          "insert",
          "update",
          "delete",
          "merge",
          "upsert",
          "replace",
          "lock",
          "truncate",
          "alter",
          "drop",
          "create",
          "copy");

  private static final java.util.regex.Pattern LOCKING_READ =
      java.util.regex.Pattern.compile(
          "(?i)\\bfor\\s+(update|share|no\\s+key\\s+update|key\\s+share)\\b");

  private static final java.util.regex.Pattern WRITING_CTE =
      java.util.regex.Pattern.compile("(?i)\\b(insert|update|delete|merge)\\b");

  /**
   * Whether a (normalized) statement may take locks that last until its transaction ends: a write,
   * DDL, {@code LOCK}, a locking read ({@code SELECT ... FOR UPDATE/SHARE}), or a {@code WITH} that
   * writes. Errs on the side of yes: it only decides whose stack is kept.
   */
  public static boolean writes(String sql) {
    if (sql == null) {
      return false;
    }
    int start = 0;
    while (start < sql.length() && !Character.isLetter(sql.charAt(start))) {
      start++; // "(select ...)", "  update"
    }
    int end = start;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    String first = sql.substring(start, end).toLowerCase(java.util.Locale.ROOT);
    if (WRITING.contains(first)) {
      return true;
    }
    if (first.equals("with")) {
      return WRITING_CTE.matcher(sql).find() || LOCKING_READ.matcher(sql).find();
    }
    return first.equals("select") && LOCKING_READ.matcher(sql).find();
  }

  public static String normalize(String sql) {
    if (sql == null) {
      return "";
    }
    int n = sql.length();
    StringBuilder out = new StringBuilder(Math.min(n, MAX_LENGTH) + 8);
    int i = 0;
    boolean pendingSpace = false;
    while (i < n && out.length() < MAX_LENGTH) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        pendingSpace = out.length() > 0;
        i++;
        continue;
      }
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
        pendingSpace = out.length() > 0;
        continue;
      }
      if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      if (c == '\''
          || ((c == 'E' || c == 'e' || c == 'N' || c == 'n' || c == 'X' || c == 'x' || c == 'B'
                  || c == 'b' || c == 'U' || c == 'u')
              && i + 1 < n
              && sql.charAt(i + 1) == '\''
              && !identifierBefore(sql, i))) {
        boolean backslashes = c == 'E' || c == 'e';
        i = skipQuoted(sql, c == '\'' ? i : i + 1, backslashes);
        literal(out);
        continue;
      }
      if (c == '$') {
        int tagEnd = dollarTagEnd(sql, i);
        if (tagEnd > 0) {
          String tag = sql.substring(i, tagEnd + 1);
          int close = sql.indexOf(tag, tagEnd + 1);
          i = close < 0 ? n : close + tag.length();
          literal(out);
          continue;
        }
        // $1 positional parameter: keep as written
        out.append(c);
        i++;
        while (i < n && Character.isDigit(sql.charAt(i))) {
          out.append(sql.charAt(i++));
        }
        continue;
      }
      if (c == '"' || c == '`') {
        int end = sql.indexOf(c, i + 1);
        int stop = end < 0 ? n : end + 1;
        out.append(sql, i, Math.min(stop, i + (MAX_LENGTH - out.length())));
        i = stop;
        continue;
      }
      if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
        if (identifierBefore(sql, i)) {
          out.append(c);
          i++;
          continue;
        }
        i = skipNumber(sql, i);
        dropUnaryMinus(out);
        literal(out);
        continue;
      }
      if (c == ')') {
        foldList(out);
        out.append(c);
        i++;
        continue;
      }
      out.append(c);
      i++;
    }
    if (i < n) {
      out.append(" ...");
    }
    return out.toString();
  }

  private static void literal(StringBuilder out) {
    out.append('?');
  }

  /** {@code = -5} reads {@code = ?}: a minus after an operator or an opening is the literal's. */
  private static void dropUnaryMinus(StringBuilder out) {
    int end = out.length();
    if (end == 0 || out.charAt(end - 1) != '-') {
      return;
    }
    int j = end - 2;
    while (j >= 0 && out.charAt(j) == ' ') {
      j--;
    }
    if (j < 0 || "(,=<>+-*/".indexOf(out.charAt(j)) >= 0) {
      out.setLength(end - 1);
    }
  }

  /** {@code (?, ?, ?)} becomes {@code (?)}, so IN lists of any length read the same. */
  private static void foldList(StringBuilder out) {
    int end = out.length();
    int j = end - 1;
    int marks = 0;
    while (j >= 0) {
      char ch = out.charAt(j);
      if (ch == '?') {
        marks++;
      } else if (ch != ',' && ch != ' ') {
        break;
      }
      j--;
    }
    if (j >= 0 && out.charAt(j) == '(' && marks > 1) {
      out.setLength(j + 1);
      out.append('?');
    }
  }

  private static boolean identifierBefore(String sql, int i) {
    if (i == 0) {
      return false;
    }
    char p = sql.charAt(i - 1);
    return Character.isLetterOrDigit(p) || p == '_' || p == '$';
  }

  private static int skipQuoted(String sql, int open, boolean backslashes) {
    int n = sql.length();
    int i = open + 1;
    while (i < n) {
      char ch = sql.charAt(i);
      if (backslashes && ch == '\\') {
        i += 2;
        continue;
      }
      if (ch == '\'') {
        if (i + 1 < n && sql.charAt(i + 1) == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }

  /** The index of the closing {@code $} of a dollar-quote tag at {@code i}, or -1. */
  private static int dollarTagEnd(String sql, int i) {
    int n = sql.length();
    int j = i + 1;
    if (j < n && sql.charAt(j) == '$') {
      return j;
    }
    if (j >= n || !(Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
      return -1;
    }
    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < n && sql.charAt(j) == '$' ? j : -1;
  }

  private static int skipNumber(String sql, int i) {
    int n = sql.length();
    if (sql.charAt(i) == '0'
        && i + 1 < n
        && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')) {
      i += 2;
      while (i < n && Character.digit(sql.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n) {
      char ch = sql.charAt(i);
      if (Character.isDigit(ch) || ch == '.') {
        i++;
      } else if ((ch == 'e' || ch == 'E')
          && i + 1 < n
          && (Character.isDigit(sql.charAt(i + 1))
              || ((sql.charAt(i + 1) == '-' || sql.charAt(i + 1) == '+')
                  && i + 2 < n
                  && Character.isDigit(sql.charAt(i + 2))))) {
        i += 2;
      } else {
        break;
      }
    }
    return i;
  }
}
