package dev.nova.agent.hosts;

/** A host whose main returns at once: the JVM must then exit, Nova or not. */
public final class QuickHost {
  private QuickHost() {}

  public static void main(String[] args) {
    System.out.println("host-done");
  }
}
