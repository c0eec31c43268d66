package dev.nova.agent.grpc;

import dev.nova.core.bridge.GrpcBridge;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into gRPC-Java's own server call ({@code io.grpc.internal.ServerCallImpl}), the
 * same for the Netty transport, the shaded Netty one and the in-process one: its start, the
 * server's close with a status, and the close of its stream (a client's cancel, a deadline). Links
 * against the host's gRPC once inlined; never loaded by the agent; every throwable suppressed.
 */
final class GrpcAdvice {
  private GrpcAdvice() {}

  /** {@code ServerCallImpl(stream, method, ...)}: a call starts. */
  static final class Started {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object call, @Advice.Argument(1) MethodDescriptor<?, ?> method) {
      GrpcBridge.started(
          call, method.getFullMethodName(), method.getType().name(), System.nanoTime());
    }
  }

  /** {@code ServerCallImpl.close(Status, Metadata)}: the server ends the call. */
  static final class Closed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object call, @Advice.Argument(0) Status status) {
      GrpcBridge.closed(call, status.getCode().name(), System.nanoTime());
    }
  }

  /** {@code ServerStreamListenerImpl.closed(Status)}: the call's stream is gone. */
  static final class StreamClosed {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("call") Object call, @Advice.Argument(0) Status status) {
      GrpcBridge.streamClosed(call, status.getCode().name(), System.nanoTime());
    }
  }
}
