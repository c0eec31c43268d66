package dev.nova.core.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Removes secrets from text that Nova shows: JVM arguments, URLs, option strings. */
public final class Redaction {
  private Redaction() {}

  public static final String MASK = "***";

  // key=value or key:value where the key names a secret; the value runs to the next separator.
  private static final Pattern SECRET_PAIR =
      Pattern.compile(
          "(?i)([\\w.\\-]*(?:password|passwd|pwd|secret|token|credential|apikey|api[_.\\-]key"
              + "|access[_.\\-]key|private[_.\\-]key|auth)[\\w.\\-]*)([=:])([^,;&\\s]*)");

  // scheme://user:password@host -> scheme://***@host
  private static final Pattern USER_INFO =
      Pattern.compile("(?i)(\\b[a-z][a-z0-9+.\\-]*://)[^/@\\s]+@");

  /** One JVM argument or option string with every secret-looking value masked. */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String s = USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
    Matcher m = SECRET_PAIR.matcher(s);
    StringBuilder sb = new StringBuilder(s.length());
    while (m.find()) {
      String replacement = m.group(3).isEmpty() ? m.group() : m.group(1) + m.group(2) + MASK;
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
