package shop;

import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;

/**
 * The shop's live feeds: a Spring WebSocket handler on /ws/chat (echoes; "bye" makes the server
 * close with 4001) and a JSR-356 endpoint on /ws/ticker, exported by Spring as its docs show.
 */
@Configuration
@EnableWebSocket
public class Sockets implements WebSocketConfigurer {
  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(new Chat(), "/ws/chat");
  }

  static final class Chat extends TextWebSocketHandler {
    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message)
        throws Exception {
      if (message.getPayload().equals("bye")) {
        session.close(new CloseStatus(4001, "bye"));
      } else {
        session.sendMessage(new TextMessage("echo " + message.getPayload()));
      }
    }
  }

  @Bean
  ServerEndpointExporter serverEndpointExporter() {
    return new ServerEndpointExporter();
  }

  @Bean
  ServerEndpointRegistration ticker() {
    return new ServerEndpointRegistration("/ws/ticker", new Ticker());
  }

  static final class Ticker extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.addMessageHandler(
          String.class, text -> session.getAsyncRemote().sendText("tick " + text));
    }
  }
}
