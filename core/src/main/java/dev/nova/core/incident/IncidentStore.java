package dev.nova.core.incident;

import dev.nova.core.util.PrivateDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The directory of incident bundles ({@code incident.dir}, owner-only): their names, the list, the
 * bound ({@code incident.keep} bundles and {@link #MAX_TOTAL_BYTES} in all, the oldest deleted
 * first) and the one way a request reaches a file: a name that matches {@link #NAME} exactly and is
 * a plain file in this directory. No path from a request is ever resolved otherwise.
 */
final class IncidentStore {
  /** {@code incident-20261202T031500Z-THREAD_DEADLOCK.zip}, a sequence after the time if needed. */
  static final Pattern NAME =
      Pattern.compile("incident-(\\d{8}T\\d{6}Z)(?:-(\\d{1,4}))?-([A-Z][A-Z0-9_]{0,63})\\.zip");

  /** The most all bundles together may take; the oldest go first. */
  static final long MAX_TOTAL_BYTES = 512L * 1024 * 1024;

  /** Free space a bundle needs besides its own size estimate, so Nova never fills the disk. */
  static final long MIN_FREE_BYTES = 256L * 1024 * 1024;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern SEVERITY = Pattern.compile("\"severity\"\\s*:\\s*\"([A-Z]+)\"");

  private final Path dir;
  private final int keep;
  private final Map<String, String> severities = new ConcurrentHashMap<>();
  private final java.util.Set<String> issued = new java.util.HashSet<>();

  IncidentStore(Path dir, int keep) {
    this.dir = dir;
    this.keep = keep;
  }

  Path dir() {
    return dir;
  }

  /** A new bundle's name: its time in UTC and the code that caused it, unique in this run. */
  synchronized String newName(Instant at, String code) {
    String name = nameFor(at, code);
    if (issued.size() >= 1024) {
      issued.clear();
    }
    issued.add(name);
    return name;
  }

  /** The name {@link #newName} would give now, without taking it (a dry run's). */
  synchronized String nameFor(Instant at, String code) {
    String stamp = STAMP.format(at);
    String safe = code.replaceAll("[^A-Z0-9_]", "_");
    if (safe.isEmpty() || !Character.isLetter(safe.charAt(0))) {
      safe = "INCIDENT";
    }
    safe = safe.length() > 64 ? safe.substring(0, 64) : safe;
    String name = "incident-" + stamp + "-" + safe + ".zip";
    for (int n = 2; issued.contains(name) || Files.exists(dir.resolve(name)); n++) {
      name = "incident-" + stamp + "-" + n + "-" + safe + ".zip";
    }
    return name;
  }

  /** Creates or checks the directory (owner-only); throws with the reason it cannot be used. */
  void prepare() throws PrivateDir.Refused {
    PrivateDir.prepare(dir, "incident.dir");
  }

  /** Free bytes on the directory's file system, or -1 when unknown. */
  long freeBytes() {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  void remember(String name, String severity) {
    if (severities.size() < 4 * keep + 16) {
      severities.put(name, severity);
    }
  }

  /** The file of a bundle by its name, or null: the name must match and be a plain file here. */
  Path file(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return null;
    }
    Path f = dir.resolve(name);
    if (!f.getParent().equals(dir) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    return f;
  }

  /** The bundles, newest first: name, time, code, severity, bytes. */
  List<Map<String, Object>> list() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path f : bundles()) {
      String name = f.getFileName().toString();
      Matcher m = NAME.matcher(name);
      if (!m.matches()) {
        continue;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", name);
      e.put("time", Instant.from(STAMP.parse(m.group(1))).toString());
      e.put("code", m.group(3));
      e.put("severity", severities.computeIfAbsent(name, n -> readSeverity(f)));
      try {
        e.put("bytes", Files.size(f));
      } catch (IOException ex) {
        continue; // deleted meanwhile
      }
      out.add(e);
    }
    return out;
  }

  /** Deletes the oldest bundles beyond {@code keep} and beyond {@link #MAX_TOTAL_BYTES}. */
  List<String> prune() {
    List<Path> all = bundles(); // newest first
    List<String> deleted = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < all.size(); i++) {
      Path f = all.get(i);
      long size;
      try {
        size = Files.size(f);
      } catch (IOException e) {
        continue;
      }
      total += size;
      if (i >= keep || (i > 0 && total > MAX_TOTAL_BYTES)) {
        try {
          Files.deleteIfExists(f);
          deleted.add(f.getFileName().toString());
          severities.remove(f.getFileName().toString());
        } catch (IOException e) {
          // left for the next prune
        }
      }
    }
    return deleted;
  }

  /** The bundle files, newest first (their names sort by time). */
  private List<Path> bundles() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "incident-*.zip")) {
      for (Path p : s) {
        if (NAME.matcher(p.getFileName().toString()).matches()
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.add(p);
        }
        if (out.size() > 10_000) {
          break; // a directory someone filled by hand: bounded all the same
        }
      }
    } catch (IOException | RuntimeException e) {
      return out;
    }
    out.sort(Comparator.comparing(IncidentStore::order).reversed());
    return out;
  }

  /** A bundle's place in time: its stamp, then its sequence within the second. */
  private static String order(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    if (!m.matches()) {
      return "";
    }
    int seq = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
    return m.group(1) + String.format("%04d", seq) + m.group(3);
  }

  /** The trigger's severity from a bundle's manifest (one written by an earlier run). */
  private static String readSeverity(Path f) {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(f))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (e.getName().equals(IncidentBundle.MANIFEST)) {
          String text = new String(readUpTo(in, 64 * 1024), StandardCharsets.UTF_8);
          Matcher m = SEVERITY.matcher(text);
          return m.find() ? m.group(1) : "unknown";
        }
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable bundle is listed all the same
    }
    return "unknown";
  }

  private static byte[] readUpTo(InputStream in, int max) throws IOException {
    return in.readNBytes(max);
  }
}
