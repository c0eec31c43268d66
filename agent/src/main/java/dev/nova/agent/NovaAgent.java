package dev.nova.agent;

import dev.nova.core.Nova;
import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.util.NovaLog;
import java.lang.instrument.Instrumentation;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code -javaagent} entry points. Both install Nova once per JVM and never throw into the
 * host: whatever fails is said on stderr, and the application starts as if Nova were absent.
 */
public final class NovaAgent {
  /** Set in the host when Nova could not start, for the attach command to show. */
  public static final String ERROR_PROPERTY = "dev.nova.agent.error";

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private NovaAgent() {}

  /**
   * {@code -javaagent:nova-agent.jar=OPTIONS}: runs before the application's main. Instrumentation
   * is installed here, on the caller's thread, so that it sees the application's classes load; the
   * rest of Nova (meters, detectors, listener) starts on a daemon thread beside the application so
   * that its start-up does not wait for Nova's.
   */
  public static void premain(String args, Instrumentation inst) {
    start(args, inst, "agent", false);
  }

  /**
   * {@code java -jar nova-agent.jar attach <pid> OPTIONS}: runs in an already running JVM, all of
   * it before returning, so that the attach command can say where Nova listens.
   */
  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, "agent (attached)", true);
  }

  static void start(String args, Instrumentation inst, String mode, boolean synchronous) {
    try {
      if (!STARTED.compareAndSet(false, true)) {
        String at = System.getProperty(Nova.AGENT_ADDRESS_PROPERTY);
        NovaLog.warn(
            "Nova is already installed in this JVM"
                + (at == null ? "" : " (listening on " + at + ")")
                + "; this second load is ignored, and so are its options");
        return;
      }
      NovaConfig config = NovaConfig.fromAgentArgument(args);
      if (!config.enabled()) {
        NovaLog.info("Nova is disabled (enabled=false): nothing installed");
        return;
      }
      setProperty(Nova.AGENT_INSTALLED_PROPERTY, mode);
      // Before any core class loads: they link against the bridge, which must be the bootstrap's.
      boolean bridged = true;
      try {
        BootstrapBridge.install(inst);
      } catch (Exception | LinkageError e) {
        bridged = false; // advice would have nothing to call: run without instrumentation
        NovaLog.warn(
            "Nova could not define its bridge classes ("
                + e
                + "); it runs without instrumentation");
      }
      NovaHealth health = new NovaHealth();
      AgentInstaller installer =
          new AgentInstaller(
              health,
              bridged ? without(modules(), config.get(Options.INSTRUMENTATION_OFF)) : List.of());
      installer.beforeCore();
      Runnable core = () -> startCore(config, mode, health, installer, inst);
      if (synchronous) {
        core.run();
        installer.install(inst);
      } else {
        Thread t = new Thread(core, "nova-start");
        t.setDaemon(true);
        t.start();
        installer.install(inst);
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static void startCore(
      NovaConfig config,
      String mode,
      NovaHealth health,
      AgentInstaller installer,
      Instrumentation inst) {
    try {
      Nova nova =
          Nova.startGlobal(
              Nova.builder()
                  .config(config)
                  .mode(mode)
                  .health(health)
                  .agentSection("instrumentation", () -> installer.describe(inst)));
      installer.servers(() -> nova.http().tracker().servers());
      InetSocketAddress a = nova.address().orElse(null);
      if (a != null) {
        setProperty(
            Nova.AGENT_ADDRESS_PROPERTY, a.getAddress().getHostAddress() + ":" + a.getPort());
        System.clearProperty(ERROR_PROPERTY);
      } else {
        setProperty(ERROR_PROPERTY, "Nova started without its listener; see the host's stderr");
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  private static void failed(Throwable t) {
    setProperty(ERROR_PROPERTY, String.valueOf(t));
    try {
      NovaLog.warn("Nova could not start and stays out of the way: " + t);
    } catch (Throwable ignored) {
      // nothing may escape into the host
    }
  }

  /**
   * The instrumentation modules, found by {@link java.util.ServiceLoader} in the agent's own jar
   * ({@code META-INF/services/dev.nova.agent.InstrumentationModule}), in that file's order. A
   * module that cannot be made is reported and left out; the others install.
   */
  static List<InstrumentationModule> modules() {
    List<InstrumentationModule> out = new java.util.ArrayList<>();
    java.util.Iterator<InstrumentationModule> it =
        java.util.ServiceLoader.load(InstrumentationModule.class, NovaAgent.class.getClassLoader())
            .iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (java.util.ServiceConfigurationError e) {
        NovaLog.warn("an instrumentation module could not be loaded and is left out: " + e);
      }
    }
    return out;
  }

  /** The modules but those {@code off} names ({@code instrumentation.off}, ';'-separated). */
  static List<InstrumentationModule> without(List<InstrumentationModule> all, String off) {
    if (off == null || off.isBlank()) {
      return all;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (String n : off.split(";")) {
      names.add(n.trim());
    }
    List<InstrumentationModule> kept = new java.util.ArrayList<>();
    for (InstrumentationModule m : all) {
      if (!names.remove(m.name())) {
        kept.add(m);
      }
    }
    if (!names.isEmpty()) {
      NovaLog.warn("instrumentation.off names no module " + names + "; ignored");
    }
    return kept;
  }

  private static void setProperty(String key, String value) {
    try {
      System.setProperty(key, value);
    } catch (RuntimeException e) {
      // a security manager may forbid it; the attach command then cannot show the address
    }
  }
}
