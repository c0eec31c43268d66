package dev.nova.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * One version line of a library that a module hooks by the names of its own classes (Tomcat's
 * WebSocket session, Jetty's core session, Undertow's channel): its hooks, each a class, a method
 * and the advice on it, and a class-loader gate that is true only where every hook is there. The
 * gate reads the class files without loading them, once per loader that has the first hook's class:
 * where one hook is missing (a version Nova does not know) none of the line's hooks is applied,
 * since half of them would count sessions opened and never closed, and the report says which hook
 * was missing.
 */
public final class Hooks extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
  /** Reading class files may load classes (a nested-jar URL handler): those are not matched. */
  private static final ThreadLocal<Boolean> LOOKING = new ThreadLocal<>();

  /**
   * What was found of each line in this JVM: "hooked", or why it was skipped (in any one class
   * loader: a skip is what the report keeps). Bounded.
   */
  private static final Map<String, String> FOUND = new TreeMap<>();

  private static final int MAX_FOUND = 32;

  private final String line;
  private final List<Hook> hooks = new ArrayList<>();
  private final Map<ClassLoader, Boolean> seen = new WeakHashMap<>();

  /** One hook: {@code advice} on the methods of {@code type} that {@code method} matches. */
  private record Hook(
      String type,
      ElementMatcher<? super MethodDescription> method,
      String described,
      Class<?> advice) {}

  private Hooks(String line) {
    this.line = line;
  }

  /** A version line, named for the report ({@code "tomcat-websocket (9, 10.1, 11)"}). */
  public static Hooks line(String line) {
    return new Hooks(line);
  }

  /** Adds a hook; {@code described} names the method for the report when it is missing. */
  public Hooks hook(
      String type,
      ElementMatcher<? super MethodDescription> method,
      String described,
      Class<?> advice) {
    hooks.add(new Hook(type, method, described, advice));
    return this;
  }

  /** A class or method that must be there for the line to be applied, without advice of its own. */
  public Hooks requires(String type, ElementMatcher<? super MethodDescription> method, String d) {
    return hook(type, method, d, null);
  }

  /** The classes this line hooks, by name. */
  public void interest(Interest interest) {
    for (Hook h : hooks) {
      if (h.advice() != null) {
        interest.types(h.type());
      }
    }
  }

  /** Adds one type matcher per hooked class, each gated on this line. */
  public AgentBuilder extend(AgentBuilder builder) {
    Map<String, List<Hook>> byType = new LinkedHashMap<>();
    for (Hook h : hooks) {
      if (h.advice() != null) {
        byType.computeIfAbsent(h.type(), t -> new ArrayList<>()).add(h);
      }
    }
    AgentBuilder b = builder;
    for (Map.Entry<String, List<Hook>> e : byType.entrySet()) {
      List<Hook> on = e.getValue();
      b =
          b.type(named(e.getKey()), this)
              .transform(
                  (t, type, loader, module, domain) -> {
                    for (Hook h : on) {
                      t = t.visit(Advice.to(h.advice()).on(h.method()));
                    }
                    return t;
                  });
    }
    return b;
  }

  @Override
  public boolean matches(ClassLoader loader) {
    if (loader == null || hooks.isEmpty() || LOOKING.get() != null) {
      return false; // the bootstrap loader has no library classes
    }
    synchronized (seen) {
      Boolean known = seen.get(loader);
      if (known != null) {
        return known;
      }
    }
    boolean all;
    LOOKING.set(Boolean.TRUE);
    try {
      all = check(loader);
    } catch (RuntimeException | LinkageError e) {
      all = false;
      found("skipped: its classes could not be read (" + e.getClass().getSimpleName() + ")");
    } finally {
      LOOKING.remove();
    }
    synchronized (seen) {
      seen.put(loader, all);
    }
    return all;
  }

  private boolean check(ClassLoader loader) {
    if (loader.getResource(hooks.get(0).type().replace('.', '/') + ".class") == null) {
      return false; // not this library, or not this line of it: nothing to say
    }
    TypePool pool =
        TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader)); // reads, never loads
    List<String> missing = new ArrayList<>();
    for (Hook h : hooks) {
      TypePool.Resolution r = pool.describe(h.type());
      if (!r.isResolved()) {
        missing.add(h.type());
      } else if (r.resolve().getDeclaredMethods().filter(h.method()).isEmpty()) {
        missing.add(h.type() + "#" + h.described());
      }
    }
    if (missing.isEmpty()) {
      found("hooked");
      return true;
    }
    found("skipped, a version Nova does not know: no " + String.join(", no ", missing));
    return false;
  }

  private void found(String what) {
    synchronized (FOUND) {
      if (FOUND.size() < MAX_FOUND || FOUND.containsKey(line)) {
        FOUND.merge(line, what, (old, now) -> old.startsWith("skipped") ? old : now);
      }
    }
  }

  /** The report's {@code agent.instrumentation.libraries}: each line found, hooked or skipped. */
  public static Map<String, String> found() {
    synchronized (FOUND) {
      return new TreeMap<>(FOUND);
    }
  }
}
