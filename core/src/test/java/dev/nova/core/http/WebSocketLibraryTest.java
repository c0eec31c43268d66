package dev.nova.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.nova.core.Nova;
import dev.nova.core.http.jsr356.NovaEndpoints;
import dev.nova.core.http.jsr356.NovaJavaxEndpoints;
import dev.nova.testing.Http;
import dev.nova.testing.Poll;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.websocket.jsr356.server.deploy.WebSocketServerContainerInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The library's JSR-356 endpoint wrappers, one line in a real container each: jakarta on embedded
 * Tomcat 10.1, javax on embedded Jetty 9.4, each with a programmatic endpoint as its API documents
 * one (a configuration built by {@code ServerEndpointConfig.Builder}, message handlers added in
 * {@code onOpen}) and the JDK's WebSocket client: every open, close code and side exact, messages
 * counted for idleness, and {@code ws-close-idle} closing through the container with 1001.
 */
class WebSocketLibraryTest {
  private static final String TOKEN = "t";
  private Nova nova;
  private Http admin;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    nova =
        Nova.builder()
            .option("port", "0")
            .option("token", TOKEN)
            .option("ws.idle", "2s")
            .option("detect.interval", "200ms")
            .start();
    admin = new Http(nova.address().orElseThrow().getPort());
  }

  @AfterEach
  void stop() {
    nova.close();
  }

  @Test
  void theJakartaWrapperTracksEverySessionOnTomcat() throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    tomcat.setConnector(connector);
    Context ctx = tomcat.addContext("", new File(".").getAbsolutePath());
    // the default servlet: an upgrade reaches Tomcat's WebSocket filter only on a mapped path
    Tomcat.addServlet(ctx, "default", new org.apache.catalina.servlets.DefaultServlet());
    ctx.addServletMappingDecoded("/", "default");
    ctx.addServletContainerInitializer(new org.apache.tomcat.websocket.server.WsSci(), null);
    ctx.addServletContainerInitializer(
        (classes, servletContext) -> {
          jakarta.websocket.server.ServerContainer container =
              (jakarta.websocket.server.ServerContainer)
                  servletContext.getAttribute("jakarta.websocket.server.ServerContainer");
          try {
            container.addEndpoint(
                NovaEndpoints.of(nova)
                    .track( // the one line
                        jakarta.websocket.server.ServerEndpointConfig.Builder.create(
                                JakartaRoom.class, "/rooms/{room}")
                            .build()));
          } catch (jakarta.websocket.DeploymentException e) {
            throw new IllegalStateException(e);
          }
        },
        null);
    tomcat.start();
    try {
      drive(connector.getLocalPort());
    } finally {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Test
  void theJavaxWrapperTracksEverySessionOnJetty() throws Exception {
    Server server =
        jetty(
            NovaJavaxEndpoints.of(nova)
                .track( // the one line
                    javax.websocket.server.ServerEndpointConfig.Builder.create(
                            JavaxRoom.class, "/rooms/{room}")
                        .build()));
    try {
      drive(((ServerConnector) server.getConnectors()[0]).getLocalPort());
    } finally {
      server.stop();
    }
  }

  /** Embedded Jetty 9.4 with one endpoint, as Jetty's documentation sets JSR-356 up. */
  private static Server jetty(javax.websocket.server.ServerEndpointConfig endpoint)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    server.setHandler(ctx);
    WebSocketServerContainerInitializer.configure(
        ctx, (context, container) -> container.addEndpoint(endpoint));
    server.start();
    return server;
  }

  @Test
  void aSessionWhoseMessagesItCannotSeeIsNeverCalledIdle() throws Exception {
    Server server =
        jetty(
            NovaJavaxEndpoints.of(nova)
                .track(
                    javax.websocket.server.ServerEndpointConfig.Builder.create(
                            Shouts.class, "/shouts")
                        .decoders(List.of(Shout.Decoder.class))
                        .build()));
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    try {
      Viewer v = new Viewer();
      v.socket =
          client
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/shouts"), v)
              .get(10, TimeUnit.SECONDS);
      v.socket.sendText("hi", true).join();
      assertThat(v.heard.get(10, TimeUnit.SECONDS)).as("decoded and answered").isEqualTo("HI");
      // Jetty 9.4 cannot be told a decoded type for a counting handler: its frames are unseen
      Poll.until(
          "the session open past ws.idle=2s",
          Duration.ofSeconds(20),
          () -> ws().path("oldest").path("openSeconds").asInt() >= 3);
      assertThat(ws().get("idleSessions").asInt()).isZero();
      assertThat(ws().get("idlest").get("framesUnseen").asBoolean()).isTrue();
      Http.Answer closed = admin.post("/debug/nova/actions/ws-close-idle?olderThan=1s", TOKEN);
      assertThat(closed.json().get("closed").asInt()).isZero();
      v.socket.sendClose(1000, "bye").join();
      Poll.until("closed", Duration.ofSeconds(20), () -> ws().path("openSessions").asInt() == 0);
    } finally {
      server.stop();
    }
  }

  @Test
  void anAnnotatedEndpointIsRefusedWithAReason() {
    var config =
        jakarta.websocket.server.ServerEndpointConfig.Builder.create(Object.class, "/x").build();
    assertThatThrownBy(() -> NovaEndpoints.of(nova).track(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("annotated endpoint is seen by the agent");
  }

  /**
   * 40 sessions over two rooms: 10 closed by the client (4000), 10 dropped, 10 closed by the server
   * (4001), 10 left open of which 5 talk again once all 10 are idle; the idle-close action closes
   * the 5 silent ones with 1001.
   */
  private void drive(int port) throws Exception {
    List<Viewer> viewers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Viewer v = new Viewer();
      v.socket =
          client
              .newWebSocketBuilder()
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/rooms/" + (i % 2)), v)
              .get(10, TimeUnit.SECONDS);
      viewers.add(v);
    }
    Poll.until(
        () -> "40 open: " + ws(),
        Duration.ofSeconds(20),
        () -> ws().path("openSessions").asInt() == 40);
    assertThat(ws().get("openByRoute").get("/rooms/{room}").asInt())
        .as("the endpoint's path template is the route")
        .isEqualTo(40);
    for (int i = 0; i < 10; i++) {
      viewers.get(i).socket.sendClose(4000, "leaving").join();
    }
    for (int i = 10; i < 20; i++) {
      viewers.get(i).socket.abort();
    }
    for (int i = 20; i < 30; i++) {
      viewers.get(i).socket.sendText("kick-me", true).join();
    }
    Poll.until("10 left", Duration.ofSeconds(20), () -> ws().path("openSessions").asInt() == 10);
    assertThat(admin.get("/debug/nova/metrics").body())
        .contains("websocket_disconnects_total{code=\"4000\",side=\"client\"} 10")
        .contains("websocket_disconnects_total{code=\"1006\",side=\"abnormal\"} 10")
        .contains("websocket_disconnects_total{code=\"4001\",side=\"server\"} 10");
    // all 10 silent past ws.idle=2s, then 5 of them say something and hear the echo
    Poll.until("10 idle sessions", Duration.ofSeconds(20), () -> idle() == 10);
    for (int i = 30; i < 35; i++) {
      viewers.get(i).socket.sendText("hello", true).join();
      assertThat(viewers.get(i).heard.get(10, TimeUnit.SECONDS)).isEqualTo("echo: hello");
    }
    Http.Answer closed = admin.post("/debug/nova/actions/ws-close-idle?olderThan=2s", TOKEN);
    assertThat(closed.status()).as(closed.body()).isEqualTo(200);
    assertThat(closed.json().get("closed").asInt()).as("the 5 silent ones").isEqualTo(5);
    for (int i = 35; i < 40; i++) {
      assertThat(viewers.get(i).closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    }
    Poll.until("5 left", Duration.ofSeconds(20), () -> ws().path("openSessions").asInt() == 5);
    assertThat(admin.get("/debug/nova/metrics").body())
        .contains("websocket_disconnects_total{code=\"1001\",side=\"server\"} 5");
    for (int i = 30; i < 35; i++) {
      viewers.get(i).socket.sendClose(1000, "bye").join();
    }
    Poll.until("none left", Duration.ofSeconds(20), () -> ws().path("openSessions").asInt() == 0);
  }

  private int idle() {
    JsonNode f = findings("WS_SESSION_LEAK");
    return f == null ? 0 : f.get("evidence").get("idleSessions").asInt();
  }

  private JsonNode findings(String code) {
    for (JsonNode f : admin.get("/debug/nova").json().get("findings")) {
      if (f.get("code").asText().equals(code)) {
        return f;
      }
    }
    return null;
  }

  private JsonNode ws() {
    JsonNode w = admin.get("/debug/nova").json().get("signals").get("websocket");
    return w == null ? MissingNode.getInstance() : w;
  }

  /** A viewer: the JDK's client, remembering the first message and the close code it got. */
  static final class Viewer implements WebSocket.Listener {
    WebSocket socket;
    final CompletableFuture<String> heard = new CompletableFuture<>();
    final CompletableFuture<Integer> closedWith = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      heard.complete(data.toString());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closedWith.complete(statusCode);
      return null;
    }
  }

  /** A programmatic jakarta endpoint as the API documents one: echoes, and kicks on request. */
  public static final class JakartaRoom extends jakarta.websocket.Endpoint {
    @Override
    public void onOpen(jakarta.websocket.Session session, jakarta.websocket.EndpointConfig c) {
      session.addMessageHandler(
          new jakarta.websocket.MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String message) {
              try {
                if (message.equals("kick-me")) {
                  session.close(
                      new jakarta.websocket.CloseReason(
                          jakarta.websocket.CloseReason.CloseCodes.getCloseCode(4001), "kicked"));
                } else {
                  session.getBasicRemote().sendText("echo: " + message);
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          });
    }
  }

  /**
   * The same endpoint on javax.websocket, written for Jetty 9.4's API (1.0: a handler's type is
   * read off its class).
   */
  public static final class JavaxRoom extends javax.websocket.Endpoint {
    @Override
    public void onOpen(javax.websocket.Session session, javax.websocket.EndpointConfig c) {
      session.addMessageHandler(
          new javax.websocket.MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String message) {
              try {
                if (message.equals("kick-me")) {
                  session.close(
                      new javax.websocket.CloseReason(
                          javax.websocket.CloseReason.CloseCodes.getCloseCode(4001), "kicked"));
                } else {
                  session.getBasicRemote().sendText("echo: " + message);
                }
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          });
    }
  }

  /** A message the container decodes. */
  public record Shout(String text) {
    /** Jetty's decoder for it. */
    public static final class Decoder implements javax.websocket.Decoder.Text<Shout> {
      @Override
      public Shout decode(String s) {
        return new Shout(s);
      }

      @Override
      public boolean willDecode(String s) {
        return true;
      }

      @Override
      public void init(javax.websocket.EndpointConfig config) {}

      @Override
      public void destroy() {}
    }
  }

  /** An endpoint whose handler takes decoded {@link Shout}s, answering them upper-cased. */
  public static final class Shouts extends javax.websocket.Endpoint {
    @Override
    public void onOpen(javax.websocket.Session session, javax.websocket.EndpointConfig c) {
      session.addMessageHandler(
          new javax.websocket.MessageHandler.Whole<Shout>() {
            @Override
            public void onMessage(Shout shout) {
              session.getAsyncRemote().sendText(shout.text().toUpperCase(java.util.Locale.ROOT));
            }
          });
    }
  }
}
