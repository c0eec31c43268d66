package dev.nova.core.config;

/**
 * One thing wrong with what the user wrote: an unknown key, a bad value, a malformed entry.
 *
 * @param source where it was written
 * @param key the key as written (may be empty for a malformed entry)
 * @param message what is wrong and what Nova did instead
 */
public record ConfigProblem(Source source, String key, String message) {
  @Override
  public String toString() {
    return source.label() + (key.isEmpty() ? "" : " '" + key + "'") + ": " + message;
  }
}
