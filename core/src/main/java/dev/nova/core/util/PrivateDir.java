package dev.nova.core.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory only this process's user may enter, for what Nova writes to disk that holds stacks
 * and memory (heap dumps, incident bundles): created {@code rwx------}, or, when it exists, checked
 * to be a plain directory (not a link) owned by this user, and made private if it was not.
 */
public final class PrivateDir {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  /** The attribute that creates a file {@code rw-------}. */
  public static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  private PrivateDir() {}

  /** Why a directory cannot be used: the answer's status and a message naming the option. */
  public static final class Refused extends Exception {
    private final int status;

    Refused(int status, String message) {
      super(message);
      this.status = status;
    }

    /** 409 when the directory is someone else's or not one; 503 when it cannot be made. */
    public int status() {
      return status;
    }
  }

  /**
   * Creates {@code dir} owner-only, or checks that an existing one is ours and private; {@code
   * option} names the setting in the messages.
   */
  public static void prepare(Path dir, String option) throws Refused {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
      if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new Refused(
            409,
            option + " " + dir + " is not a plain directory; point it at one (" + option + ")");
      }
      String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
      String me = System.getProperty("user.name");
      if (me != null && !owner.equals(me)) {
        throw new Refused(409, option + " " + dir + " belongs to " + owner + ", not to " + me);
      }
      if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
      }
    } catch (IOException | UnsupportedOperationException e) {
      throw new Refused(503, "cannot prepare " + option + " " + dir + ": " + e.getMessage());
    }
  }
}
