package dev.nova.agent;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A class-loader gate: true where the loader can see every one of these classes, asked once per
 * loader (as a resource, so nothing is loaded) and remembered weakly. Put before any hierarchy
 * matching, it keeps a library's matchers off every class of a host that does not have it.
 */
public final class HasClasses extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
  /** Looking a resource up may load classes (a nested-jar URL handler): those are not matched. */
  private static final ThreadLocal<Boolean> LOOKING = new ThreadLocal<>();

  private final String[] resources;
  private final Map<ClassLoader, Boolean> seen = new WeakHashMap<>();

  private HasClasses(String... classNames) {
    resources = new String[classNames.length];
    for (int i = 0; i < classNames.length; i++) {
      resources[i] = classNames[i].replace('.', '/') + ".class";
    }
  }

  /** A gate on these fully qualified class names. */
  public static HasClasses named(String... classNames) {
    return new HasClasses(classNames);
  }

  @Override
  public boolean matches(ClassLoader loader) {
    if (loader == null || LOOKING.get() != null) {
      return false; // the bootstrap loader has no library classes
    }
    synchronized (seen) {
      Boolean known = seen.get(loader);
      if (known != null) {
        return known;
      }
    }
    boolean all = true;
    LOOKING.set(Boolean.TRUE);
    try {
      for (String r : resources) {
        if (loader.getResource(r) == null) {
          all = false;
          break;
        }
      }
    } catch (RuntimeException | LinkageError e) {
      all = false;
    } finally {
      LOOKING.remove();
    }
    synchronized (seen) {
      seen.put(loader, all);
    }
    return all;
  }
}
