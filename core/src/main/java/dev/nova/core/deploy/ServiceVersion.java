package dev.nova.core.deploy;

import java.io.IOException;
import java.io.InputStream;
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

  static String checksum(Path file) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return "sha256:" + HexFormat.of().formatHex(d.digest()).substring(0, 12);
  }
}
