package shop;

import dev.nova.core.Nova;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Nova started by hand, as library mode's page shows it, on the application's registry: what the
 * start-up benchmark measures the starter against (with the starter's auto-configuration
 * excluded). Off unless {@code shop.nova-by-hand=true}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "shop.nova-by-hand", havingValue = "true")
public class NovaByHand {
  @Bean(destroyMethod = "close")
  Nova nova(MeterRegistry registry) {
    return Nova.builder().meterRegistry(registry).listen(false).start();
  }
}
