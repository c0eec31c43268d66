package dev.nova.agent.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.HostAdvice;
import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.asm.Advice;

/**
 * Netty HTTP/1.1 and HTTP/2 servers and WebSocket, 4.1 and 4.2: whatever the host's pipeline, its
 * HTTP codec (HttpServerCodec, or HttpRequestDecoder and HttpResponseEncoder) and WebSocket frame
 * codecs are Netty's own classes, so that is where Nova looks. The advice is read as bytes from the
 * agent jar (never loaded by the agent, which has no Netty) and inlined into the host's classes.
 */
public final class NettyInstrumentation implements InstrumentationModule {
  static final String HTTP = "io.netty.handler.codec.http.";
  static final String WS = HTTP + "websocketx.";
  static final String H2 = "io.netty.handler.codec.http2.";

  @Override
  public String name() {
    return "netty";
  }

  /** The advice for one transformation, described against the host's own Netty. */
  private static Advice advice(String nested, ClassLoader hostLoader) {
    return HostAdvice.of(NettyAdvice.class.getName() + "$" + nested, hostLoader);
  }

  /** The HTTP/2 advice for one transformation. */
  private static Advice h2(String nested, ClassLoader hostLoader) {
    return HostAdvice.of(Http2Advice.class.getName() + "$" + nested, hostLoader);
  }

  @Override
  public void hook(Hooking h) {
    h.named(
            HTTP + "HttpObjectDecoder",
            (b, type, loader, module, domain) ->
                b.visit(advice("RequestDecode", loader).on(named("decode").and(takesArguments(3)))))
        .named(
            HTTP + "HttpObjectEncoder",
            (b, type, loader, module, domain) ->
                b.visit(advice("ResponseWrite", loader).on(named("write").and(takesArguments(3)))))
        .named(
            WS + "WebSocket08FrameDecoder",
            (b, type, loader, module, domain) ->
                b.visit(advice("FrameDecode", loader).on(named("decode").and(takesArguments(3)))))
        .named(
            WS + "WebSocket08FrameEncoder",
            (b, type, loader, module, domain) ->
                b.visit(
                    advice("FrameEncode", loader)
                        .on(
                            named("encode")
                                .and(takesArguments(3))
                                .and(takesArgument(1, named(WS + "WebSocketFrame"))))))
        .named(
            H2 + "DefaultHttp2ConnectionDecoder$FrameReadListener",
            (b, type, loader, module, domain) ->
                b.visit(h2("HeadersRead", loader).on(named("onHeadersRead").and(takesArguments(8))))
                    .visit(h2("DataRead", loader).on(named("onDataRead").and(takesArguments(5))))
                    .visit(
                        h2("ResetRead", loader)
                            .on(named("onRstStreamRead").and(takesArguments(3)))))
        .named(
            H2 + "DefaultHttp2ConnectionEncoder",
            (b, type, loader, module, domain) ->
                b.visit(
                        h2("HeadersWrite", loader)
                            .on(named("writeHeaders0").and(takesArguments(10))))
                    .visit(h2("DataWrite", loader).on(named("writeData").and(takesArguments(6)))))
        .named(
            H2 + "Http2ConnectionHandler",
            (b, type, loader, module, domain) ->
                b.visit(
                        h2("Reset", loader)
                            .on(
                                named("resetStream")
                                    .and(takesArguments(4))
                                    .and(takesArgument(1, int.class))))
                    .visit(
                        h2("GoAway", loader)
                            .on(
                                named("goAway")
                                    .and(takesArguments(5))
                                    .and(takesArgument(1, int.class)))))
        .named(
            "io.netty.channel.DefaultChannelPipeline",
            (b, type, loader, module, domain) ->
                b.visit(
                    advice("Inactive", loader)
                        .on(named("fireChannelInactive").and(takesArguments(0)))));
  }
}
