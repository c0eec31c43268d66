package dev.nova.agent;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.nova.core.health.NovaHealth;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Sets up Byte Buddy once: retransformation (so classes loaded before an attach are covered), no
 * class format changes (so other agents can still retransform what we touched), our own and
 * relocated packages ignored, and every transformation error counted instead of thrown.
 */
public final class AgentInstaller {
  private final NovaHealth health;
  private final List<InstrumentationModule> modules;
  private volatile Prefilter prefilter;
  private final LongAdder transformed = new LongAdder();
  private final java.util.Set<String> transformedNames =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile ResettableClassFileTransformer transformer;
  private volatile java.util.function.Supplier<List<String>> servers = List::of;
  private volatile String problem;

  /**
   * The types a module asked to hear about when they were not transformed, and whether they were.
   */
  private final Map<String, Boolean> expected = new java.util.concurrent.ConcurrentHashMap<>();

  public AgentInstaller(NovaHealth health, List<InstrumentationModule> modules) {
    this.health = health;
    this.modules = List.copyOf(modules);
  }

  /** Installs on {@code inst}; a failure is recorded and reported, never thrown. */
  public void install(Instrumentation inst) {
    Hooking hooking = null;
    try {
      Interest interest = new Interest();
      AgentBuilder builder =
          new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
              .disableClassFormatChanges()
              .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
              // the classes loaded before the transformer: only the candidates are described
              .with(new Discovery(interest))
              .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
              // Advice is inlined: no helper class is ever injected, and Byte Buddy need not
              // reach for sun.misc.Unsafe (which JDK 24+ warns about on the host's stderr).
              .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
              .with(AgentBuilder.TypeStrategy.Default.REDEFINE_FROZEN)
              .with(new CountingListener())
              .ignore(
                  nameStartsWith("dev.nova.agent.")
                      .or(nameStartsWith("dev.nova.core."))
                      .or(nameStartsWith("net.bytebuddy."))
                      .or(nameStartsWith("jdk.internal."))
                      .or(nameStartsWith("sun.reflect."))
                      .or(nameStartsWith("com.sun.proxy.")));
      hooking = new Hooking(inst, builder, interest);
      for (InstrumentationModule m : modules) {
        try {
          m.hook(hooking);
        } catch (Throwable t) {
          // one module that cannot say what it hooks leaves the others installed
          health.recordTransformError(m.name(), t);
        }
      }
      for (String type : hooking.expectations().keySet()) {
        expected.put(type, false);
      }
      builder =
          hooking
              .builder()
              .with(
                  (AgentBuilder.TransformerDecorator) t -> prefilter = new Prefilter(t, interest));
      transformer = builder.installOn(inst);
      for (Map.Entry<String, Runnable> e : hooking.expectations().entrySet()) {
        if (!expected.getOrDefault(e.getKey(), false)) {
          e.getValue().run();
        }
      }
    } catch (Throwable t) {
      problem = t.getClass().getName() + ": " + t.getMessage();
      health.recordTransformError("agent-installer", t);
      if (hooking != null) {
        for (Runnable r : hooking.expectations().values()) {
          r.run();
        }
      }
    }
  }

  /** Each installed module's {@link InstrumentationModule#beforeCore}; errors are counted. */
  void beforeCore() {
    for (InstrumentationModule m : modules) {
      try {
        m.beforeCore();
      } catch (Throwable t) {
        health.recordTransformError(m.name(), t);
      }
    }
  }

  /** Where the server families answering in this JVM are read from, once Nova's core is up. */
  public void servers(java.util.function.Supplier<List<String>> source) {
    servers = source;
  }

  /** The report's {@code agent.instrumentation} member. */
  public Map<String, Object> describe(Instrumentation inst) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("installed", transformer != null);
    if (problem != null) {
      m.put("problem", problem);
    }
    List<String> names = new ArrayList<>();
    for (InstrumentationModule mod : modules) {
      names.add(mod.name());
    }
    m.put("modules", names);
    m.put("servers", servers.get());
    m.put("libraries", Hooks.found());
    m.put("retransformSupported", inst.isRetransformClassesSupported());
    Prefilter p = prefilter;
    if (p != null) {
      long[] c = p.counts();
      m.put("classesLoaded", c[0]);
      m.put("classesExamined", c[1]);
    }
    m.put("typesTransformed", transformed.sum());
    m.put("transformedTypes", new java.util.TreeSet<>(transformedNames));
    m.put("transformErrors", health.transformErrors());
    return m;
  }

  /**
   * The classes loaded before the transformer that Byte Buddy is to look at: those a module names,
   * and the host's own (not the bootstrap loader's) that declare a method a module asks for, read
   * by reflection on the few application classes loaded by then. Byte Buddy would otherwise
   * describe every loaded class, the JDK's thousands included.
   */
  static final class Discovery implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {
    private final Interest interest;

    Discovery(Interest interest) {
      this.interest = interest;
    }

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation inst) {
      List<Class<?>> out = new ArrayList<>();
      for (Class<?> c : inst.getAllLoadedClasses()) {
        if (inst.isModifiableClass(c) && candidate(c)) {
          out.add(c);
        }
      }
      return List.of(out);
    }

    boolean candidate(Class<?> c) {
      if (interest.internalTypeNames().contains(c.getName().replace('.', '/'))) {
        return true;
      }
      if (c.getClassLoader() == null || c.isInterface() || c.isArray() || c.isPrimitive()) {
        return false;
      }
      if (c.getName().startsWith("dev.nova.")) {
        // Nova's own and its shaded Byte Buddy (a thousand classes loaded by now): never woven,
        // and reading their methods would leave some 8,000 reflective methods on the heap.
        return false;
      }
      try {
        for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
          if (interest.methodNames().contains(m.getName())) {
            return true;
          }
        }
        return false;
      } catch (LinkageError | RuntimeException e) {
        return false; // a class whose methods cannot be read (a missing dependency) is no candidate
      }
    }
  }

  private final class CountingListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onTransformation(
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        boolean loaded,
        DynamicType dynamicType) {
      transformed.increment();
      expected.computeIfPresent(type.getName(), (k, v) -> true);
      if (transformedNames.size() < 64) {
        transformedNames.add(type.getName());
      }
    }

    @Override
    public void onError(
        String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      health.recordTransformError(typeName, error);
    }
  }
}
