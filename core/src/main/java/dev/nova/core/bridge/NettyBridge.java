package dev.nova.core.bridge;

/**
 * The doorway from the agent's Netty advice (inlined into the host's Netty classes) into Nova.
 * Typed on JDK classes only, since the agent defines it in the bootstrap class loader; every method
 * returns at once when Nova is not up and never throws into the host's event loop.
 */
public final class NettyBridge {
  /**
   * What Nova does with what the advice sees; {@code conn} is the object {@link #connection} made.
   */
  public interface Sink {
    Object connection(Object channel);

    /** {@code upgrade}: 0 none, {@link #WEBSOCKET}, {@link #H2C}. */
    void request(Object conn, String method, String uri, int upgrade, long now);

    void requestBytes(Object conn, long bytes);

    void responseStart(Object conn, int status);

    void responseBytes(Object conn, long bytes);

    void responseEnd(Object conn, long now);

    void frame(Object conn, boolean in, int closeCode, long now);

    void inactive(Object conn, long now);

    /** HTTP/2: the request headers of {@code stream} (server side). */
    void streamRequest(Object conn, int stream, String method, String path, long now);

    void streamRequestBytes(Object conn, int stream, long bytes);

    void streamResponse(Object conn, int stream, int status);

    void streamResponseBytes(Object conn, int stream, long bytes);

    void streamEnd(Object conn, int stream, long now);

    void streamReset(Object conn, int stream);

    void goAway(Object conn, int lastStream);
  }

  /** A request's {@code Upgrade} header asks for a WebSocket. */
  public static final int WEBSOCKET = 1;

  /** A request's {@code Upgrade} header asks for HTTP/2 in clear text. */
  public static final int H2C = 2;

  /** The channel attribute that carries Nova's per-connection state. */
  public static final String KEY = "dev.nova.http";

  private static volatile Sink sink;

  /** The host's {@code AttributeKey} named {@link #KEY}, made once per copy of Netty. */
  private static final ClassValue<Object> KEYS =
      new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> attributeKeyType) {
          try {
            return attributeKeyType.getMethod("valueOf", String.class).invoke(null, KEY);
          } catch (Throwable t) {
            return null; // the advice then asks AttributeKey itself
          }
        }
      };

  /**
   * The {@code AttributeKey} for {@link #KEY} of the Netty whose {@code AttributeKey} class this
   * is, or {@code null}: saves the advice Netty's constant-pool lookup on every message.
   */
  public static Object attributeKey(Class<?> attributeKeyType) {
    try {
      return KEYS.get(attributeKeyType);
    } catch (Throwable t) {
      return null;
    }
  }

  private NettyBridge() {}

  public static void install(Sink s) {
    sink = s;
  }

  public static void uninstall(Sink s) {
    if (sink == s) {
      sink = null;
    }
  }

  public static Object connection(Object channel) {
    Sink s = sink;
    if (s == null) {
      return null;
    }
    try {
      return s.connection(channel);
    } catch (Throwable t) {
      return null;
    }
  }

  public static void request(Object conn, String method, String uri, int upgrade, long now) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.request(conn, method, uri, upgrade, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void requestBytes(Object conn, long bytes) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.requestBytes(conn, bytes);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void responseStart(Object conn, int status) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.responseStart(conn, status);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void responseBytes(Object conn, long bytes) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.responseBytes(conn, bytes);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void responseEnd(Object conn, long now) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.responseEnd(conn, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void frame(Object conn, boolean in, int closeCode, long now) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.frame(conn, in, closeCode, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void inactive(Object conn, long now) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.inactive(conn, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void streamRequest(Object conn, int stream, String method, String path, long now) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.streamRequest(conn, stream, method, path, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void streamRequestBytes(Object conn, int stream, long bytes) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.streamRequestBytes(conn, stream, bytes);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void streamResponse(Object conn, int stream, int status) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.streamResponse(conn, stream, status);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void streamResponseBytes(Object conn, int stream, long bytes) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.streamResponseBytes(conn, stream, bytes);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void streamEnd(Object conn, int stream, long now) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.streamEnd(conn, stream, now);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void streamReset(Object conn, int stream) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.streamReset(conn, stream);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }

  public static void goAway(Object conn, int lastStream) {
    Sink s = sink;
    if (s != null && conn != null) {
      try {
        s.goAway(conn, lastStream);
      } catch (Throwable ignored) {
        // never into the host
      }
    }
  }
}
