package app;

import jakarta.websocket.CloseReason;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;

/**
 * A chat room as an annotated JSR-356 endpoint, with no knowledge of Nova: echoes what a viewer
 * says, and closes the session itself (4001, "kicked") when told {@code kick-me}.
 */
@ServerEndpoint("/ws/rooms/{room}")
public class RoomEndpoint {
  @OnMessage
  public void onMessage(Session session, String message, @PathParam("room") String room)
      throws IOException {
    if (message.equals("kick-me")) {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(4001), "kicked"));
    } else {
      session.getBasicRemote().sendText(room + ": " + message);
    }
  }
}
