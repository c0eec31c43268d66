package dev.nova.core.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The state file that outlives the process ({@code state.dir}): per version of the service, the
 * last run's figures ({@link Run}), the most recent first, at most {@link #KEPT}. Written to a
 * temporary file beside it and moved over it atomically, owner-only; read once at start. A file
 * that is corrupt, unreadable, of another format or another service's is reported and ignored (and
 * replaced at the next write); it never stops Nova or the host.
 */
final class DeployState {
  static final int KEPT = 10;
  static final String FORMAT = "1";

  /** One version's run: when it started, how long it ran, its HTTP figures. */
  record Run(
      String version,
      Instant startedAt,
      long runSeconds,
      long requests,
      long errors,
      double p95Ms,
      List<Route> routes) {
    double errorShare() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  /** One route's figures in a run. */
  record Route(String route, long requests, long errors, double p95Ms) {
    double errorShare() {
      return requests == 0 ? 0 : (double) errors / requests;
    }
  }

  /** What was read: the runs, or why there are none. */
  record Loaded(List<Run> runs, String problem) {}

  private final Path file;
  private final String service;

  DeployState(Path dir, String service) {
    this.file = dir.resolve("state-" + service + ".properties");
    this.service = service;
  }

  Path file() {
    return file;
  }

  /** Creates the directory owner-only if missing; a problem string when it cannot be used. */
  static String prepare(Path dir) {
    try {
      if (Files.isSymbolicLink(dir)) {
        return dir + " is a symbolic link; state is not kept";
      }
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
        return dir + " is not a writable directory; state is not kept";
      }
      // in a shared temporary directory another user could have made it first
      String owner = Files.getOwner(dir).getName();
      String self = System.getProperty("user.name", "");
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
      if (!owner.equals(self) || !mode.equals("rwx------")) {
        return dir
            + " is owned by "
            + owner
            + " with mode "
            + mode
            + ", not this user's alone (rwx------); state is not kept";
      }
      return null;
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot use " + dir + " (" + e.getMessage() + "); state is not kept";
    } catch (RuntimeException e) {
      return "cannot create " + dir + " (" + e.getMessage() + "); state is not kept";
    }
  }

  Loaded load() {
    if (!Files.exists(file)) {
      return new Loaded(List.of(), null);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      p.load(r);
    } catch (IOException | RuntimeException e) {
      return new Loaded(List.of(), "state file " + file + " unreadable (" + e + "); ignored");
    }
    if (!FORMAT.equals(p.getProperty("nova.state.format"))) {
      return new Loaded(List.of(), "state file " + file + " is not Nova's (no format 1); ignored");
    }
    if (!service.equals(p.getProperty("service"))) {
      return new Loaded(
          List.of(),
          "state file "
              + file
              + " belongs to service '"
              + p.getProperty("service")
              + "', not '"
              + service
              + "'; ignored");
    }
    try {
      int n = Integer.parseInt(p.getProperty("runs", "0").trim());
      List<Run> runs = new ArrayList<>();
      for (int i = 0; i < Math.min(n, KEPT); i++) {
        String k = "run." + i + ".";
        List<Route> routes = new ArrayList<>();
        String rs = p.getProperty(k + "routes", "");
        for (String r : rs.isEmpty() ? new String[0] : rs.split("\t")) {
          String[] f = r.split("\\|");
          routes.add(
              new Route(
                  f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3])));
        }
        runs.add(
            new Run(
                required(p, k + "version"),
                Instant.parse(required(p, k + "startedAt")),
                Long.parseLong(required(p, k + "runSeconds")),
                Long.parseLong(required(p, k + "requests")),
                Long.parseLong(required(p, k + "errors")),
                Double.parseDouble(required(p, k + "p95Ms")),
                List.copyOf(routes)));
      }
      return new Loaded(List.copyOf(runs), null);
    } catch (RuntimeException e) {
      return new Loaded(List.of(), "state file " + file + " is corrupt (" + e + "); ignored");
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v.trim();
  }

  /** Writes {@code current} first, then the other versions' last runs, at most {@link #KEPT}. */
  void save(Run current, List<Run> others) throws IOException {
    Properties p = new Properties();
    p.setProperty("nova.state.format", FORMAT);
    p.setProperty("service", service);
    List<Run> all = new ArrayList<>();
    all.add(current);
    for (Run r : others) {
      if (!r.version().equals(current.version()) && all.size() < KEPT) {
        all.add(r);
      }
    }
    p.setProperty("runs", String.valueOf(all.size()));
    for (int i = 0; i < all.size(); i++) {
      Run r = all.get(i);
      String k = "run." + i + ".";
      p.setProperty(k + "version", r.version());
      p.setProperty(k + "startedAt", r.startedAt().toString());
      p.setProperty(k + "runSeconds", String.valueOf(r.runSeconds()));
      p.setProperty(k + "requests", String.valueOf(r.requests()));
      p.setProperty(k + "errors", String.valueOf(r.errors()));
      p.setProperty(k + "p95Ms", String.valueOf(r.p95Ms()));
      StringBuilder b = new StringBuilder();
      for (Route route : r.routes()) {
        if (b.length() > 0) {
          b.append('\t');
        }
        b.append(route.route().replace('|', '_').replace('\t', '_'))
            .append('|')
            .append(route.requests())
            .append('|')
            .append(route.errors())
            .append('|')
            .append(route.p95Ms());
      }
      p.setProperty(k + "routes", b.toString());
    }
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            ".state-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.ISO_8859_1)) {
        p.store(w, "Nova's record of this service's versions; safe to delete");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
