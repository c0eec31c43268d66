package dev.nova.agent.grpc;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.HostAdvice;
import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.asm.Advice;

/**
 * gRPC-Java servers: gRPC's own server call layer ({@code io.grpc.internal.ServerCallImpl}), which
 * every transport shares and which {@code grpc-netty-shaded} does not relocate (only its Netty is),
 * so one hook sees calls over {@code grpc-netty}, {@code grpc-netty-shaded} and the in-process
 * transport alike. The Netty HTTP/2 hooks leave gRPC's streams to this one.
 */
public final class GrpcInstrumentation implements InstrumentationModule {
  static final String CALL = "io.grpc.internal.ServerCallImpl";

  @Override
  public String name() {
    return "grpc";
  }

  private static Advice advice(String nested, ClassLoader hostLoader) {
    return HostAdvice.of(GrpcAdvice.class.getName() + "$" + nested, hostLoader);
  }

  @Override
  public void hook(Hooking h) {
    h.named(
            CALL,
            (b, type, loader, module, domain) ->
                b.visit(advice("Started", loader).on(isConstructor()))
                    .visit(advice("Closed", loader).on(named("close").and(takesArguments(2)))))
        .named(
            CALL + "$ServerStreamListenerImpl",
            (b, type, loader, module, domain) ->
                b.visit(advice("StreamClosed", loader).on(named("closed").and(takesArguments(1)))));
  }
}
