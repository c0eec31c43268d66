package dev.nova.agent;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One area of instrumentation (JDBC, Netty HTTP, WebSocket...), added to the one {@link
 * AgentBuilder} that {@link AgentInstaller} sets up. A module matches its library's types by name
 * and gates on the class loader having them; it never loads them from the agent.
 */
public interface InstrumentationModule {
  /** A short name for the report ({@code jdbc}, {@code netty-http}). */
  String name();

  /** Adds this module's type matchers and advice. */
  AgentBuilder extend(AgentBuilder builder);

  /**
   * Says which classes can match: the names of those matched by name, the advised method names of
   * those matched by hierarchy. No other class reaches Byte Buddy (see {@link Prefilter}).
   */
  void interest(Interest interest);
}
