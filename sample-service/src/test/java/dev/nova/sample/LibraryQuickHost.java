package dev.nova.sample;

import dev.nova.core.Nova;
import java.util.Map;

/** Starts Nova as a library and returns from main without closing it: the JVM must still exit. */
public final class LibraryQuickHost {
  private LibraryQuickHost() {}

  public static void main(String[] args) throws Exception {
    Nova nova = Nova.start(Map.of("port", "0"));
    System.out.println("listening " + nova.address().orElseThrow().getPort());
    System.out.println("host-done");
  }
}
