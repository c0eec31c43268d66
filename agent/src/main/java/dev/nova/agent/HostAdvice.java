package dev.nova.agent;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Advice typed on a host library's classes (Netty's, the servlet API's): read as bytes from the
 * agent jar and described against the host's own class loader, since the agent's loader has none of
 * the library. The advice class is never loaded by the agent.
 */
public final class HostAdvice {
  private HostAdvice() {}

  /** The advice class {@code adviceName}, for a type the host's {@code hostLoader} defines. */
  public static Advice of(String adviceName, ClassLoader hostLoader) {
    ClassFileLocator locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.ForClassLoader.of(HostAdvice.class.getClassLoader()),
            hostLoader == null
                ? ClassFileLocator.ForClassLoader.ofBootLoader()
                : ClassFileLocator.ForClassLoader.of(hostLoader));
    return Advice.to(TypePool.Default.of(locator).describe(adviceName).resolve(), locator);
  }
}
