package dev.nova.agent.hosts;

import java.io.IOException;

/** A host that does nothing until its stdin closes, then returns from main. */
public final class IdleHost {
  private IdleHost() {}

  public static void main(String[] args) throws IOException {
    System.out.println("host-ready pid=" + ProcessHandle.current().pid());
    System.out.flush();
    waitForStdinToClose();
    System.out.println("host-done");
  }

  static void waitForStdinToClose() throws IOException {
    while (System.in.read() >= 0) {
      // keep reading until the test closes our stdin
    }
  }
}
