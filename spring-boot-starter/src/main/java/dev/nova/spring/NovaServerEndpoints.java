package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.http.jsr356.NovaEndpoints;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * JSR-356 endpoints that the application declares as {@code ServerEndpointConfig} beans (Spring's
 * {@code ServerEndpointRegistration}, which its {@code ServerEndpointExporter} adds to the
 * container): each one tracked through {@link NovaEndpoints}, as the library's own wrapper does by
 * hand. Its endpoint, configurator, subprotocols and the rest stay the application's own. An
 * annotated {@code @ServerEndpoint} class is the container's to call through its own adapter: the
 * agent sees those, the starter cannot.
 */
final class NovaServerEndpoints implements BeanPostProcessor {
  private final ObjectProvider<Nova> nova;

  NovaServerEndpoints(ObjectProvider<Nova> nova) {
    this.nova = nova;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String name) {
    if (bean instanceof ServerEndpointConfig config
        && Endpoint.class.isAssignableFrom(config.getEndpointClass())) {
      Nova n = nova.getIfAvailable();
      if (n != null) {
        return NovaEndpoints.of(n).track(config);
      }
    }
    return bean;
  }
}
