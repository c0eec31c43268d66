package dev.nova.core.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarFile;

/**
 * Which version of the service runs: {@code service.version} if set, else the main jar's manifest
 * {@code Implementation-Version}, else a short checksum of the main jar ({@code sha256:} and 12 hex
 * digits), else {@code unknown}. The service's name (the main jar's file name, or the main class)
 * names its state file.
 */
public record ServiceVersion(String value, String source, String service) {

  public static ServiceVersion detect(String option) {
    return detect(option, mainJar());
  }

  /** As {@link #detect(String)} with {@code jar} as the main jar (null: none). */
  static ServiceVersion detect(String option, Path jar) {
    String service = serviceName(jar);
    if (option != null && !option.isBlank()) {
      return new ServiceVersion(option.trim(), "service.version", service);
    }
    if (jar != null) {
      try (JarFile j = new JarFile(jar.toFile())) {
        var m = j.getManifest();
        String v = m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
        if (v != null && !v.isBlank()) {
          return new ServiceVersion(v.trim(), "manifest of " + jar.getFileName(), service);
        }
      } catch (IOException | RuntimeException e) {
        // not a readable jar: the checksum below, or unknown
      }
      try {
        return new ServiceVersion(checksum(jar), "checksum of " + jar.getFileName(), service);
      } catch (IOException | RuntimeException e) {
        // unreadable
      }
    }
    return new ServiceVersion("unknown", "no service.version, and no main jar to read", service);
  }

  /** The jar {@code java -jar} ran, or the class path's only jar; null when there is none. */
  static Path mainJar() {
    String command = System.getProperty("sun.java.command", "");
    String first = command.isBlank() ? "" : command.trim().split("\\s+")[0];
    if (first.endsWith(".jar") && Files.isRegularFile(Path.of(first))) {
      return Path.of(first).toAbsolutePath();
    }
    String cp = System.getProperty("java.class.path", "");
    String[] parts = cp.split(java.io.File.pathSeparator);
    Path only = null;
    int jars = 0;
    for (String p : parts) {
      if (p.endsWith(".jar") && !p.contains("nova-agent")) {
        jars++;
        only = Path.of(p);
      }
    }
    return jars == 1 && Files.isRegularFile(only) ? only.toAbsolutePath() : null;
  }

  static String serviceName(Path jar) {
    String name;
    if (jar != null) {
      // orders-2.3.1.jar and orders-2.4.0-SNAPSHOT.jar are one service: its state outlives releases
      name =
          jar.getFileName()
              .toString()
              .replaceAll("\\.jar$", "")
              .replaceAll("-\\d+(\\.\\d+)*([.-][A-Za-z0-9]+)*$", "");
    } else {
      String command = System.getProperty("sun.java.command", "").trim();
      name = command.isEmpty() ? "service" : command.split("\\s+")[0];
    }
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.length() > 80 ? safe.substring(0, 80) : safe;
  }

  /**
   * A digest of the jar's directory (each entry's name, CRC-32 and size), not of its bytes: any
   * change of content changes an entry's CRC, and reading a directory costs a millisecond where
   * hashing a 25 MB Spring Boot jar would cost the host's start-up a tenth of a second.
   */
  static String checksum(Path file) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
      for (var it = zip.entries(); it.hasMoreElements(); ) {
        java.util.zip.ZipEntry e = it.nextElement();
        d.update(e.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        d.update(java.nio.ByteBuffer.allocate(16).putLong(e.getCrc()).putLong(e.getSize()).array());
      }
    }
    return "sha256:" + HexFormat.of().formatHex(d.digest()).substring(0, 12);
  }
}
