package dev.nova.core.bridge;

/**
 * The doorway from the agent's gRPC advice (inlined into gRPC-Java's own server call, {@code
 * io.grpc.internal.ServerCallImpl}, the same for every transport, shaded Netty included) into Nova.
 * Typed on JDK classes only; every method returns at once when Nova is not up and never throws into
 * the host.
 */
public final class GrpcBridge {
  /** What Nova does with a server call; {@code call} is gRPC's own call object, by identity. */
  public interface Sink {
    /**
     * A call started: {@code fullMethod} is {@code package.Service/Method}, {@code type} its kind.
     */
    void started(Object call, String fullMethod, String type, long now);

    /** The server closed the call with this status code ({@code OK}, {@code UNAVAILABLE}...). */
    void closed(Object call, String code, long now);

    /** The call's stream closed (after the server's close, or alone: cancelled, deadline). */
    void streamClosed(Object call, String code, long now);
  }

  private static volatile Sink sink;

  private GrpcBridge() {}

  public static void install(Sink s) {
    sink = s;
  }

  public static void uninstall(Sink s) {
    if (sink == s) {
      sink = null;
    }
  }

  public static void started(Object call, String fullMethod, String type, long now) {
    Sink s = sink;
    if (s != null && call != null) {
      try {
        s.started(call, fullMethod, type, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void closed(Object call, String code, long now) {
    Sink s = sink;
    if (s != null && call != null) {
      try {
        s.closed(call, code, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void streamClosed(Object call, String code, long now) {
    Sink s = sink;
    if (s != null && call != null) {
      try {
        s.streamClosed(call, code, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }
}
