package victim;

/**
 * A host class for instrumentation tests: outside dev.nova, so the installer does not ignore it.
 */
public class Victim {
  public int answer() {
    return 42;
  }
}
