package dev.nova.sample;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Development tokens: {@code base64url(subject|expiry).base64url(HMAC-SHA256)}, signed with a key
 * made at start (or {@code STREAMS_TOKEN_KEY}). Invalid or expired tokens are refused alike.
 */
public final class Tokens {
  private final byte[] key;
  private final Clock clock;

  public Tokens(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  public static Tokens fromEnvironment() {
    String k = System.getenv("STREAMS_TOKEN_KEY");
    byte[] key = new byte[32];
    if (k != null && !k.isBlank()) {
      key = k.getBytes(StandardCharsets.UTF_8);
    } else {
      new SecureRandom().nextBytes(key);
    }
    return new Tokens(key, Clock.systemUTC());
  }

  public String issue(String subject, Duration ttl) {
    String payload = subject + "|" + clock.instant().plus(ttl).getEpochSecond();
    String p = b64(payload.getBytes(StandardCharsets.UTF_8));
    return p + "." + b64(sign(p));
  }

  /** The subject of a valid, unexpired token, or null. */
  public String verify(String token) {
    if (token == null) {
      return null;
    }
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    String p = token.substring(0, dot);
    byte[] sig;
    byte[] payload;
    try {
      sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
      payload = Base64.getUrlDecoder().decode(p);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!MessageDigest.isEqual(sig, sign(p))) {
      return null;
    }
    String text = new String(payload, StandardCharsets.UTF_8);
    int bar = text.lastIndexOf('|');
    try {
      long exp = Long.parseLong(text.substring(bar + 1));
      return clock.instant().getEpochSecond() < exp ? text.substring(0, bar) : null;
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      return null;
    }
  }

  private byte[] sign(String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
