package dev.nova.core.http.jsr356;

import dev.nova.core.Nova;
import dev.nova.core.bridge.WsBridge;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * WebSocket in library mode on a jakarta.websocket container (Tomcat 10+, Jetty 11+, Undertow 2.3):
 * a programmatic endpoint's configuration, wrapped in one line where the service adds it, {@code
 * container.addEndpoint(NovaEndpoints.of(nova).track(config))}. Its sessions are then tracked as
 * the agent tracks them: open per route (the path template), the close code and side (the client's,
 * the server's through its session, 1006 abnormal for a dropped connection), the messages its
 * handlers receive for idleness, and {@code ws-close-idle} closing through the container's own API.
 * The endpoint, its configurator, subprotocols, extensions, encoders, decoders and user properties
 * stay the service's own. {@link NovaJavaxEndpoints} is the same for javax.websocket.
 *
 * <p>What the JSR-356 API does not show, this cannot either: an annotated endpoint (the container
 * calls it through its own adapter: the agent sees those), pings from the client (the container
 * answers them itself), and a close through the container's session object obtained elsewhere than
 * the endpoint (counted as the client's).
 */
public final class NovaEndpoints {
  static final SessionView.Api API =
      new SessionView.Api(
          Session.class,
          MessageHandler.class,
          MessageHandler.Whole.class,
          MessageHandler.Partial.class,
          r -> r instanceof CloseReason c ? c.getCloseCode().getCode() : -1,
          // every jakarta container has the two-argument form that a counting proxy goes through
          (type, partial, handler, count) -> null);

  private final WsBridge.Sink sink;

  private NovaEndpoints(WsBridge.Sink sink) {
    this.sink = sink;
  }

  /** The wrapper for this Nova's HTTP area. */
  public static NovaEndpoints of(Nova nova) {
    return new NovaEndpoints(nova.http().containerWebSockets());
  }

  /**
   * {@code config} with its endpoint tracked.
   *
   * @throws IllegalArgumentException when its endpoint class is not an {@link Endpoint}
   */
  public ServerEndpointConfig track(ServerEndpointConfig config) {
    if (!Endpoint.class.isAssignableFrom(config.getEndpointClass())) {
      throw new IllegalArgumentException(
          config.getEndpointClass().getName()
              + " is not a jakarta.websocket.Endpoint: an annotated endpoint is seen by the agent,"
              + " the library tracks programmatic ones");
    }
    return new Config(config, new Configurator(config, sink));
  }

  /** The service's configuration, with Nova's endpoint and configurator in front of its own. */
  private record Config(ServerEndpointConfig theirs, Configurator configurator)
      implements ServerEndpointConfig {
    @Override
    public Class<?> getEndpointClass() {
      return Tracked.class;
    }

    @Override
    public String getPath() {
      return theirs.getPath();
    }

    @Override
    public List<String> getSubprotocols() {
      return theirs.getSubprotocols();
    }

    @Override
    public List<Extension> getExtensions() {
      return theirs.getExtensions();
    }

    @Override
    public ServerEndpointConfig.Configurator getConfigurator() {
      return configurator;
    }

    @Override
    public List<Class<? extends Encoder>> getEncoders() {
      return theirs.getEncoders();
    }

    @Override
    public List<Class<? extends Decoder>> getDecoders() {
      return theirs.getDecoders();
    }

    @Override
    public Map<String, Object> getUserProperties() {
      return theirs.getUserProperties();
    }
  }

  /** The service's configurator for everything, but the endpoint it makes is wrapped. */
  private static final class Configurator extends ServerEndpointConfig.Configurator {
    private final ServerEndpointConfig config;
    private final ServerEndpointConfig.Configurator theirs;
    private final WsBridge.Sink sink;

    Configurator(ServerEndpointConfig config, WsBridge.Sink sink) {
      this.config = config;
      this.theirs = config.getConfigurator();
      this.sink = sink;
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
      return theirs.getNegotiatedSubprotocol(supported, requested);
    }

    @Override
    public List<Extension> getNegotiatedExtensions(
        List<Extension> installed, List<Extension> requested) {
      return theirs.getNegotiatedExtensions(installed, requested);
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
      return theirs.checkOrigin(originHeaderValue);
    }

    @Override
    public void modifyHandshake(
        ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
      theirs.modifyHandshake(sec, request, response);
    }

    @Override
    public <T> T getEndpointInstance(Class<T> type) throws InstantiationException {
      Endpoint endpoint = (Endpoint) theirs.getEndpointInstance(config.getEndpointClass());
      return type.cast(new Tracked(endpoint, config.getPath(), sink));
    }
  }

  /** The endpoint the container calls: Nova's bookkeeping around the service's own. */
  public static final class Tracked extends Endpoint {
    private final Endpoint endpoint;
    private final String path;
    private final WsBridge.Sink sink;
    private volatile SessionView view;

    Tracked(Endpoint endpoint, String path, WsBridge.Sink sink) {
      this.endpoint = endpoint;
      this.path = path;
      this.sink = sink;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      SessionView v = SessionView.open(API, sink, session, path);
      view = v;
      endpoint.onOpen((Session) v.view(), config);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
      SessionView v = view;
      try {
        endpoint.onClose(v == null ? session : (Session) v.view(), reason);
      } finally {
        if (v != null) {
          v.ended(reason);
        }
      }
    }

    @Override
    public void onError(Session session, Throwable error) {
      SessionView v = view;
      endpoint.onError(v == null ? session : (Session) v.view(), error);
    }
  }
}
