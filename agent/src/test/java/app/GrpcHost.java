package app;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A gRPC-Java service as its users write one without protoc: a hand-written {@code
 * MethodDescriptor} with a string marshaller, {@code nova.test.Payments/Pay} (unary: a request
 * starting with {@code fail} ends {@code UNAVAILABLE}) and {@code nova.test.Payments/Watch} (server
 * streaming: one message, then open until the client cancels). The server is whatever transport the
 * class path brings ({@code grpc-netty-shaded} or {@code grpc-netty}). Prints {@code host-ready
 * port=<port>}.
 */
public final class GrpcHost {
  private GrpcHost() {}

  /** Strings as UTF-8 bytes. */
  public static final MethodDescriptor.Marshaller<String> TEXT =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }
      };

  public static final MethodDescriptor<String, String> PAY =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("nova.test.Payments/Pay")
          .setRequestMarshaller(TEXT)
          .setResponseMarshaller(TEXT)
          .build();

  public static final MethodDescriptor<String, String> WATCH =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
          .setFullMethodName("nova.test.Payments/Watch")
          .setRequestMarshaller(TEXT)
          .setResponseMarshaller(TEXT)
          .build();

  public static void main(String[] args) throws Exception {
    ServerServiceDefinition payments =
        ServerServiceDefinition.builder("nova.test.Payments")
            .addMethod(
                PAY,
                ServerCalls.asyncUnaryCall(
                    (String request, StreamObserver<String> answer) -> {
                      if (request.startsWith("fail")) {
                        answer.onError(
                            Status.UNAVAILABLE.withDescription("ledger down").asRuntimeException());
                      } else {
                        answer.onNext("paid " + request);
                        answer.onCompleted();
                      }
                    }))
            .addMethod(
                WATCH,
                ServerCalls.asyncServerStreamingCall(
                    (String request, StreamObserver<String> updates) ->
                        updates.onNext("watching " + request)))
            .build();
    Server server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(payments)
            .build()
            .start();
    System.out.println("host-ready port=" + server.getPort());
    while (System.in.read() >= 0) {
      // until the test closes stdin
    }
    server.shutdownNow();
  }
}
