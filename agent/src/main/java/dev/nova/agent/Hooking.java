package dev.nova.agent;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.failSafe;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.lang.instrument.Instrumentation;
import java.util.LinkedHashMap;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * What a module hooks, said once: each call adds the type matcher to the one {@link AgentBuilder}
 * and, from the same names, the {@link Interest} that lets a loading class reach Byte Buddy at all
 * (see {@link Prefilter}). A class matched by name is interesting by that name; a class matched by
 * hierarchy must declare one of the concrete instance methods its advice goes on, and those method
 * names are what the prefilter looks for. Neither list can be forgotten beside the other.
 */
public final class Hooking {
  private static final ElementMatcher.Junction<TypeDescription> CONCRETE =
      not(isInterface())
          .and(not(nameStartsWith("dev.nova.agent.")))
          .and(not(nameStartsWith("dev.nova.core.")));

  private final Instrumentation inst;
  private final Interest interest;
  private AgentBuilder builder;
  private final Map<String, Runnable> unlessTransformed = new LinkedHashMap<>();

  Hooking(Instrumentation inst, AgentBuilder builder, Interest interest) {
    this.inst = inst;
    this.builder = builder;
    this.interest = interest;
  }

  /** The JVM's instrumentation, for a module that must open a module's reads first. */
  public Instrumentation instrumentation() {
    return inst;
  }

  /**
   * Gives {@code java.base} a read edge to the module of Nova's bridge classes, so advice inlined
   * into a JDK class ({@code Thread}, {@code ThreadPoolExecutor}) links to them; false when the JVM
   * refuses (the module that needs it then leaves those classes alone).
   */
  public boolean letJavaBaseReadBridges(Class<?> bridge) {
    try {
      inst.redefineModule(
          Object.class.getModule(),
          java.util.Set.of(bridge.getModule()),
          Map.of(),
          Map.of(),
          java.util.Set.of(),
          Map.of());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** {@code transformer} on the class named {@code type} (binary name). */
  public Hooking named(String type, AgentBuilder.Transformer transformer) {
    interest.types(type);
    builder = builder.type(ElementMatchers.named(type)).transform(transformer);
    return this;
  }

  /**
   * {@code transformer} on every concrete class, in a class loader {@code gate} lets through (null:
   * any), that declares one of {@code methods} (concrete, instance) and has a supertype {@code
   * supertype} matches: the declared methods are read off the class's own file first, so the
   * hierarchy walk, which reads every supertype's class file, stays off nearly every class.
   */
  public Hooking declaring(
      ElementMatcher<? super TypeDescription> supertype,
      ElementMatcher<? super ClassLoader> gate,
      AgentBuilder.Transformer transformer,
      String... methods) {
    interest.methods(methods);
    // fail-safe: a class whose hierarchy cannot be resolved (a logging bridge whose library is
    // absent, say) is not the library's, and not an error of Nova's
    ElementMatcher.Junction<TypeDescription> type =
        CONCRETE
            .and(declaresMethod(namedOneOf(methods).and(not(isAbstract()))))
            .and(failSafe(hasSuperType(supertype)));
    builder =
        gate == null
            ? builder.type(type).transform(transformer)
            : builder.type(type, gate).transform(transformer);
    return this;
  }

  /** {@link #declaring} of a concrete class of the interface or class named {@code supertype}. */
  public Hooking declaring(String supertype, AgentBuilder.Transformer transformer, String... m) {
    return declaring(ElementMatchers.named(supertype), null, transformer, m);
  }

  /** A version line of a library, each of its hooks by name, gated on all of them being there. */
  public Hooking line(Hooks line) {
    line.interest(interest);
    builder = line.extend(builder);
    return this;
  }

  /**
   * {@code then} runs once the agent is installed if {@code type} was not transformed (the threads
   * module then leaves thread creation sites to JFR), or if installing failed.
   */
  public Hooking unlessTransformed(String type, Runnable then) {
    unlessTransformed.put(type, then);
    return this;
  }

  AgentBuilder builder() {
    return builder;
  }

  Map<String, Runnable> expectations() {
    return unlessTransformed;
  }
}
