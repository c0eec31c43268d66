package dev.nova.core.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns request paths into bounded route templates so that meters stay bounded: explicit patterns
 * first ({@code /api/v1/streams/{id}/ws}, a {@code {name}} segment matches any one segment), then
 * numeric, UUID and long hexadecimal segments become {@code {id}}. The query and fragment never
 * reach a route. Past {@link #MAX_ROUTES} distinct routes, new ones are {@code /{other}}.
 */
public final class Routes {
  public static final int MAX_ROUTES = 500;
  public static final String OTHER = "/{other}";
  static final int MAX_CACHED = 4_096;
  private static final Pattern NUMBER = Pattern.compile("-?\\d+");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{16,}");

  private final List<String[]> patterns = new ArrayList<>();
  private final Map<String, String> cache = new ConcurrentHashMap<>();
  private final Map<String, Boolean> known = new ConcurrentHashMap<>();

  /** {@code spec}: patterns separated by {@code ;} or {@code ,}, each starting with {@code /}. */
  public Routes(String spec) {
    if (spec != null) {
      for (String p : spec.split("[;,]")) {
        String t = p.trim();
        if (t.startsWith("/")) {
          patterns.add(t.substring(1).split("/", -1));
        }
      }
    }
  }

  /** The route of a request target (path, or absolute URI; query and fragment dropped). */
  public String route(String target) {
    if (target == null || target.isEmpty()) {
      return "/";
    }
    String path = path(target);
    String r = cache.get(path);
    if (r != null) {
      return r;
    }
    r = template(path);
    if (!known.containsKey(r)) {
      if (known.size() >= MAX_ROUTES) {
        r = OTHER;
      } else {
        known.put(r, Boolean.TRUE);
      }
    }
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(path, r);
    return r;
  }

  static String path(String target) {
    int start = 0;
    int scheme = target.indexOf("://");
    if (scheme > 0 && scheme < target.indexOf('/') + 1) {
      int slash = target.indexOf('/', scheme + 3);
      if (slash < 0) {
        return "/";
      }
      start = slash;
    }
    int end = target.length();
    for (int i = start; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '?' || c == '#' || c == ';') {
        end = i;
        break;
      }
    }
    String p = target.substring(start, end);
    return p.isEmpty() ? "/" : p;
  }

  String template(String path) {
    String[] segments = path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
    for (String[] p : patterns) {
      if (matches(p, segments)) {
        return "/" + String.join("/", p);
      }
    }
    StringBuilder sb = new StringBuilder(path.length());
    for (String s : segments) {
      sb.append('/');
      if (NUMBER.matcher(s).matches() || UUID.matcher(s).matches() || HEX.matcher(s).matches()) {
        sb.append("{id}");
      } else if (s.length() > 64) {
        sb.append("{long}");
      } else {
        sb.append(s);
      }
    }
    return sb.toString();
  }

  private static boolean matches(String[] pattern, String[] segments) {
    if (pattern.length != segments.length) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      boolean wildcard = p.startsWith("{") && p.endsWith("}");
      if (!wildcard && !p.equals(segments[i])) {
        return false;
      }
    }
    return true;
  }
}
