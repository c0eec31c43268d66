package dev.nova.core.endpoint;

import dev.nova.core.config.NovaConfig;
import dev.nova.core.config.Options;
import dev.nova.core.health.NovaHealth;
import dev.nova.core.util.NovaLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The admin listener's life: bound where the configuration says, or the reason it is not, said on
 * stderr and in the report; closed by a shutdown hook so that the host exits as fast as without
 * Nova (an open JDK HTTP server delays the JVM's exit by a few hundred milliseconds).
 */
public final class AdminListener implements AutoCloseable {
  private final AdminServer server;
  private final Runnable alsoAtExit;
  private volatile InetSocketAddress address;
  private volatile String problem;
  private volatile Thread shutdownHook;

  /** {@code alsoAtExit}: what else the shutdown hook stops (the detector rounds). */
  public AdminListener(
      AdminApi api, NovaHealth health, MeterRegistry registry, Runnable alsoAtExit) {
    this.server = new AdminServer(api, health, registry);
    this.alsoAtExit = alsoAtExit;
  }

  /** Why there is no listener, for the report (Nova disabled, another Nova serves this JVM). */
  public void absent(String why) {
    problem = why;
  }

  /** Binds and serves; a failure is said and kept for the report, never thrown. */
  public void start(NovaConfig config, String who) {
    try {
      address =
          server.start(
              config.bind(),
              config.port(),
              config.get(Options.ADMIN_THREADS),
              config.portFile().orElse(null));
      registerShutdownHook();
      NovaLog.info(
          who
              + " listening on http://"
              + listening()
              + "/debug/nova"
              + (config.token().isPresent() ? "" : "; no token set, so actions answer 403"));
    } catch (IOException | RuntimeException e) {
      problem = "cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage();
      NovaLog.warn(
          problem
              + "; the host goes on without Nova's listener (options port, bind; port=0 picks a"
              + " free port)");
    }
  }

  private void registerShutdownHook() {
    Thread hook =
        new Thread(
            () -> {
              try {
                server.close();
                alsoAtExit.run();
              } catch (Throwable ignored) {
                // the JVM is going down: nothing to report to
              }
            },
            "nova-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = hook;
    } catch (IllegalStateException | SecurityException e) {
      // already shutting down, or not allowed: the JVM still exits, only a little later
    }
  }

  /** The bound address, or null when not listening. */
  public InetSocketAddress address() {
    return address;
  }

  /** {@code host:port}, with brackets for IPv6; null when not listening. */
  public String listening() {
    InetSocketAddress a = address;
    if (a == null) {
      return null;
    }
    String h = a.getAddress().getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }

  /** Why there is no listener, or null. */
  public String problem() {
    return problem;
  }

  @Override
  public void close() {
    Thread hook = shutdownHook;
    if (hook != null && hook != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | SecurityException e) {
        // shutting down already: the hook does the closing
      }
      shutdownHook = null;
    }
    server.close();
  }
}
