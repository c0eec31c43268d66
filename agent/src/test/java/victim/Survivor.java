package victim;

/** A host class hooked by a module installed beside one that fails to say what it hooks. */
public class Survivor {
  public String name() {
    return "survivor";
  }
}
