package shop;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import reactor.core.publisher.Mono;

/** The shop's live chat on /ws/chat, mapped as WebFlux's docs show: it echoes; "bye" closes 4001. */
@Configuration
public class Sockets {
  @Bean
  HandlerMapping chatMapping() {
    WebSocketHandler chat =
        session ->
            session.send(
                session
                    .receive()
                    .map(WebSocketMessage::getPayloadAsText)
                    .concatMap(
                        text ->
                            text.equals("bye")
                                ? session.close(new CloseStatus(4001, "bye")).then(Mono.empty())
                                : Mono.just(session.textMessage("echo " + text))));
    return new SimpleUrlHandlerMapping(Map.of("/ws/chat", chat), -1);
  }
}
