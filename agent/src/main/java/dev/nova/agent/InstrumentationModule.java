package dev.nova.agent;

/**
 * One host family's instrumentation (JDBC, Netty HTTP, a container's WebSocket...), found by {@link
 * java.util.ServiceLoader} from {@code META-INF/services/dev.nova.agent.InstrumentationModule} and
 * added to the one agent that {@link AgentInstaller} sets up. A module matches its library's types
 * by name and gates on the class loader having them; it never loads them from the agent. Adding a
 * host family is one such class and one line in that file; nothing else in the agent names it.
 */
public interface InstrumentationModule {
  /** A short name for the report ({@code jdbc}, {@code netty}) and {@code instrumentation.off}. */
  String name();

  /** Says what it hooks, once: the matchers and the prefilter's interest both come from this. */
  void hook(Hooking hooking);

  /**
   * Runs before Nova's core starts, for a module whose core area must know it is coming (the
   * threads module: the thread monitor then leaves JFR's thread events alone). Must not throw.
   */
  default void beforeCore() {}
}
