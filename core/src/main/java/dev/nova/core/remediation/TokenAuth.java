package dev.nova.core.remediation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Checks {@code Authorization: Bearer <token>} in constant time; fingerprints tokens for audit. */
public final class TokenAuth {
  private final byte[] expectedDigest;

  /**
   * @param token the configured token, or null when none is configured
   */
  public TokenAuth(String token) {
    this.expectedDigest = token == null ? null : sha256(token);
  }

  public boolean configured() {
    return expectedDigest != null;
  }

  /**
   * True when the header carries the configured token. Both sides are hashed first, so the
   * comparison takes the same time whatever the length or content of the presented token.
   */
  public boolean accepts(String authorizationHeader) {
    String presented = bearer(authorizationHeader);
    if (expectedDigest == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(expectedDigest, sha256(presented));
  }

  /** The token in a {@code Bearer} header, or null. */
  public static String bearer(String authorizationHeader) {
    if (authorizationHeader == null) {
      return null;
    }
    String h = authorizationHeader.trim();
    if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return null;
    }
    String t = h.substring(7).trim();
    return t.isEmpty() ? null : t;
  }

  /** {@code sha256:} and the first 12 hex digits of the token's digest; never the token. */
  public static String fingerprint(String authorizationHeader) {
    String t = bearer(authorizationHeader);
    if (t == null) {
      return authorizationHeader == null ? "none" : "malformed";
    }
    return "sha256:" + HexFormat.of().formatHex(sha256(t)).substring(0, 12);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
