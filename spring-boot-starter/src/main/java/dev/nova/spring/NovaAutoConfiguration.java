package dev.nova.spring;

import dev.nova.core.Nova;
import dev.nova.core.http.servlet.NovaServletFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Nova in library mode inside a Spring Boot application (3.5 and 4): its meters in the
 * application's own {@code MeterRegistry}, its {@code DataSource}s observed without changing their
 * type, its HTTP traffic through one filter (servlet or WebFlux), its WebSocket sessions, its
 * thread pools and caches, and Actuator's {@code nova} endpoint, health indicator (with its own
 * group) and info. Off with {@code nova.enabled=false}, and absent when the Nova agent already
 * serves the JVM (it counts everything there; the two would count twice). Options come from
 * Spring's {@code Environment} under {@code nova.*}, with Spring's relaxed binding.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
    })
@ConditionalOnClass(Nova.class)
@ConditionalOnProperty(
    prefix = "nova",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@Conditional(NovaAutoConfiguration.NoAgent.class)
public class NovaAutoConfiguration {

  /** The switch of the {@code nova} health indicator and its group, as Actuator names them. */
  public static final String HEALTH_ENABLED = "management.health.nova.enabled";

  /** The mode the report's {@code agent.mode} shows under the starter. */
  public static final String MODE = "spring-boot";

  /** Nova's agent already serves this JVM: it set its property in {@code premain}. */
  static final class NoAgent extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata m) {
      String agent = System.getProperty(Nova.AGENT_INSTALLED_PROPERTY);
      return agent == null
          ? ConditionOutcome.match("the Nova agent is not in this JVM")
          : ConditionOutcome.noMatch(
              "the Nova agent (" + agent + ") already serves this JVM: the starter stays out");
    }
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Nova nova(Environment environment, ObjectProvider<MeterRegistry> registry) {
    NovaProperties properties = NovaProperties.of(environment);
    Nova.Builder b = Nova.builder().mode(MODE).options(properties.options());
    if (!properties.listen()) {
      b.noListener("Actuator's /actuator/nova is the surface (nova.port opens this listener)");
    }
    MeterRegistry r = registry.getIfUnique();
    if (r != null) {
      b.meterRegistry(r);
    }
    return b.start();
  }

  @Bean
  public static NovaDataSources novaDataSources(ObjectProvider<Nova> nova) {
    return new NovaDataSources(nova);
  }

  /** The application's thread pools, for {@code EXECUTOR_SATURATED}. */
  @Bean
  @ConditionalOnClass(name = "org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor")
  public static NovaExecutors novaExecutors(ObjectProvider<Nova> nova) {
    return new NovaExecutors(nova);
  }

  /** The application's Spring caches, for {@code cache-trim}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.cache.CacheManager")
  static class Caches {
    @Bean
    NovaCaches novaCaches(
        ObjectProvider<org.springframework.cache.CacheManager> managers,
        ObjectProvider<Nova> nova) {
      return new NovaCaches(managers, nova);
    }
  }

  /** The servlet stack (MVC on Tomcat, Jetty or Undertow): one filter, first in the chain. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.servlet.Filter")
  static class Servlet {
    @Bean
    FilterRegistrationBean<NovaServletFilter> novaServletFilter(Nova nova) {
      FilterRegistrationBean<NovaServletFilter> f =
          new FilterRegistrationBean<>(NovaServletFilter.of(nova));
      f.setName("nova");
      f.setAsyncSupported(true);
      f.setDispatcherTypes(EnumSet.allOf(jakarta.servlet.DispatcherType.class));
      f.addUrlPatterns("/*");
      f.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return f;
    }
  }

  /** Spring WebSocket's handlers on the servlet stack, in every handler mapping. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(
      name = {
        "org.springframework.web.socket.server.support.WebSocketHttpRequestHandler",
        "org.springframework.web.servlet.handler.SimpleUrlHandlerMapping"
      })
  static class SpringWebSocket {
    @Bean
    static NovaWebSockets novaWebSockets(ObjectProvider<Nova> nova) {
      return new NovaWebSockets(nova);
    }
  }

  /** JSR-356 endpoints declared as {@code ServerEndpointConfig} beans. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass(name = "jakarta.websocket.server.ServerEndpointConfig")
  static class Jsr356 {
    @Bean
    static NovaServerEndpoints novaServerEndpoints(ObjectProvider<Nova> nova) {
      return new NovaServerEndpoints(nova);
    }
  }

  /** The reactive stack (WebFlux on Reactor Netty or a servlet container): one web filter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
  static class Reactive {
    @Bean
    NovaWebFilter novaWebFilter(Nova nova) {
      return new NovaWebFilter(nova);
    }

    @Bean
    static NovaReactiveWebSockets novaReactiveWebSockets(ObjectProvider<Nova> nova) {
      return new NovaReactiveWebSockets(nova);
    }
  }

  /** Actuator: the {@code nova} endpoint and the info contributor. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class Actuator {
    @Bean
    @ConditionalOnMissingBean
    NovaEndpoint novaEndpoint(Nova nova) {
      return new NovaEndpoint(nova);
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.actuate.info.InfoContributor")
    NovaInfoContributor novaInfoContributor(Nova nova) {
      return new NovaInfoContributor(nova);
    }
  }

  /** Spring Boot 3's health API. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @Conditional(HealthOn.class)
  static class Boot3Health {
    @Bean
    NovaHealthIndicator novaHealthIndicator(Nova nova) {
      return new NovaHealthIndicator(nova);
    }

    @Bean
    @ConditionalOnClass(
        name = "org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor")
    static NovaHealthGroup novaHealthGroup() {
      return new NovaHealthGroup();
    }
  }

  /** Spring Boot 4's health API ({@code spring-boot-health}). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  @Conditional(HealthOn.class)
  static class Boot4Health {
    @Bean
    NovaBoot4HealthIndicator novaHealthIndicator(Nova nova) {
      return new NovaBoot4HealthIndicator(nova);
    }

    @Bean
    @ConditionalOnClass(
        name = "org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor")
    static NovaBoot4HealthGroup novaHealthGroup() {
      return new NovaBoot4HealthGroup();
    }
  }

  /**
   * {@code management.health.nova.enabled}, falling back to {@code
   * management.health.defaults.enabled}, as every Actuator health indicator is switched.
   */
  static final class HealthOn extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata m) {
      Environment env = context.getEnvironment();
      boolean on =
          env.getProperty(
              HEALTH_ENABLED,
              Boolean.class,
              env.getProperty("management.health.defaults.enabled", Boolean.class, true));
      return on
          ? ConditionOutcome.match("the nova health indicator is enabled")
          : ConditionOutcome.noMatch(HEALTH_ENABLED + " is false");
    }
  }
}
