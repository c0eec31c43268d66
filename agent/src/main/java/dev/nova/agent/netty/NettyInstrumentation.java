package dev.nova.agent.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.nova.agent.Hooking;
import dev.nova.agent.HostAdvice;
import dev.nova.agent.InstrumentationModule;
import net.bytebuddy.asm.Advice;

/**
 * Netty HTTP/1.1 servers and WebSocket, 4.1 and 4.2: whatever the host's pipeline, its HTTP codec
 * (HttpServerCodec, or HttpRequestDecoder and HttpResponseEncoder) and WebSocket frame codecs are
 * Netty's own classes, so that is where Nova looks. The advice is read as bytes from the agent jar
 * (never loaded by the agent, which has no Netty) and inlined into the host's classes.
 */
public final class NettyInstrumentation implements InstrumentationModule {
  static final String HTTP = "io.netty.handler.codec.http.";
  static final String WS = HTTP + "websocketx.";

  @Override
  public String name() {
    return "netty";
  }

  /** The advice for one transformation, described against the host's own Netty. */
  private static Advice advice(String nested, ClassLoader hostLoader) {
    return HostAdvice.of(NettyAdvice.class.getName() + "$" + nested, hostLoader);
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
            "io.netty.channel.DefaultChannelPipeline",
            (b, type, loader, module, domain) ->
                b.visit(
                    advice("Inactive", loader)
                        .on(named("fireChannelInactive").and(takesArguments(0)))));
  }
}
