package dev.nova.core.http.jsr356;

import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import javax.websocket.MessageHandler;
import javax.websocket.PongMessage;

/**
 * Counting message handlers typed on the javax API's own message types, whose type a 1.0 container
 * (Jetty 9.4, which has only {@code addMessageHandler(MessageHandler)}) reads off their class.
 */
final class JavaxHandlers {
  private JavaxHandlers() {}

  @SuppressWarnings("unchecked")
  static Object make(Class<?> type, boolean partial, Object h, Runnable count) {
    if (partial) {
      if (type == String.class) {
        return new PartialText((MessageHandler.Partial<String>) h, count);
      }
      if (type == ByteBuffer.class) {
        return new PartialBuffer((MessageHandler.Partial<ByteBuffer>) h, count);
      }
      if (type == byte[].class) {
        return new PartialBytes((MessageHandler.Partial<byte[]>) h, count);
      }
      return null;
    }
    if (type == String.class) {
      return new Text((MessageHandler.Whole<String>) h, count);
    }
    if (type == ByteBuffer.class) {
      return new Buffer((MessageHandler.Whole<ByteBuffer>) h, count);
    }
    if (type == byte[].class) {
      return new Bytes((MessageHandler.Whole<byte[]>) h, count);
    }
    if (type == PongMessage.class) {
      return new Pong((MessageHandler.Whole<PongMessage>) h, count);
    }
    if (type == Reader.class) {
      return new TextStream((MessageHandler.Whole<Reader>) h, count);
    }
    if (type == InputStream.class) {
      return new BinaryStream((MessageHandler.Whole<InputStream>) h, count);
    }
    return null;
  }

  private record Text(MessageHandler.Whole<String> h, Runnable count)
      implements MessageHandler.Whole<String> {
    @Override
    public void onMessage(String message) {
      count.run();
      h.onMessage(message);
    }
  }

  private record Buffer(MessageHandler.Whole<ByteBuffer> h, Runnable count)
      implements MessageHandler.Whole<ByteBuffer> {
    @Override
    public void onMessage(ByteBuffer message) {
      count.run();
      h.onMessage(message);
    }
  }

  private record Bytes(MessageHandler.Whole<byte[]> h, Runnable count)
      implements MessageHandler.Whole<byte[]> {
    @Override
    public void onMessage(byte[] message) {
      count.run();
      h.onMessage(message);
    }
  }

  private record Pong(MessageHandler.Whole<PongMessage> h, Runnable count)
      implements MessageHandler.Whole<PongMessage> {
    @Override
    public void onMessage(PongMessage message) {
      count.run();
      h.onMessage(message);
    }
  }

  private record TextStream(MessageHandler.Whole<Reader> h, Runnable count)
      implements MessageHandler.Whole<Reader> {
    @Override
    public void onMessage(Reader message) {
      count.run();
      h.onMessage(message);
    }
  }

  private record BinaryStream(MessageHandler.Whole<InputStream> h, Runnable count)
      implements MessageHandler.Whole<InputStream> {
    @Override
    public void onMessage(InputStream message) {
      count.run();
      h.onMessage(message);
    }
  }

  private record PartialText(MessageHandler.Partial<String> h, Runnable count)
      implements MessageHandler.Partial<String> {
    @Override
    public void onMessage(String part, boolean last) {
      count.run();
      h.onMessage(part, last);
    }
  }

  private record PartialBuffer(MessageHandler.Partial<ByteBuffer> h, Runnable count)
      implements MessageHandler.Partial<ByteBuffer> {
    @Override
    public void onMessage(ByteBuffer part, boolean last) {
      count.run();
      h.onMessage(part, last);
    }
  }

  private record PartialBytes(MessageHandler.Partial<byte[]> h, Runnable count)
      implements MessageHandler.Partial<byte[]> {
    @Override
    public void onMessage(byte[] part, boolean last) {
      count.run();
      h.onMessage(part, last);
    }
  }
}
