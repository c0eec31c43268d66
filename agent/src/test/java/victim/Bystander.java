package victim;

/** Another host class, instrumented without trouble. */
public class Bystander {
  public String name() {
    return "bystander";
  }
}
