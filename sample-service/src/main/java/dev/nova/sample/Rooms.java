package dev.nova.sample;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Viewers per stream: chat is broadcast to every viewer of a stream, and the viewer count too. */
public final class Rooms {
  private final Map<Long, ChannelGroup> rooms = new ConcurrentHashMap<>();

  public void join(long stream, Channel viewer) {
    ChannelGroup g =
        rooms.computeIfAbsent(stream, s -> new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
    g.add(viewer); // a closed channel leaves the group by itself
    viewer.closeFuture().addListener(f -> count(stream));
    count(stream);
  }

  public void chat(long stream, String from, String text) {
    ChannelGroup g = rooms.get(stream);
    if (g != null) {
      g.writeAndFlush(new TextWebSocketFrame(json("chat", from, text)));
    }
  }

  private void count(long stream) {
    ChannelGroup g = rooms.get(stream);
    if (g != null) {
      g.writeAndFlush(new TextWebSocketFrame("{\"type\":\"viewers\",\"count\":" + g.size() + "}"));
    }
  }

  public int viewers(long stream) {
    ChannelGroup g = rooms.get(stream);
    return g == null ? 0 : g.size();
  }

  public int viewers() {
    int n = 0;
    for (ChannelGroup g : rooms.values()) {
      n += g.size();
    }
    return n;
  }

  /** Closes every viewer of a stream (the stream ended). */
  public void end(long stream) {
    ChannelGroup g = rooms.remove(stream);
    if (g != null) {
      g.close();
    }
  }

  /** Shutdown: every viewer is told 1001 (going away) and closed. */
  public void shutdown() {
    for (Long stream : rooms.keySet()) {
      ChannelGroup g = rooms.remove(stream);
      if (g != null) {
        g.writeAndFlush(
                new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(
                    1001, "shutting down"))
            .awaitUninterruptibly(2_000);
        g.close().awaitUninterruptibly(2_000);
      }
    }
  }

  static String json(String type, String from, String text) {
    return "{\"type\":\""
        + type
        + "\",\"from\":\""
        + escape(from)
        + "\",\"text\":\""
        + escape(text)
        + "\"}";
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
