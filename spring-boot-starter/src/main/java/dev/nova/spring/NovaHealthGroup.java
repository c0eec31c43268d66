package dev.nova.spring;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.SimpleHttpCodeStatusMapper;
import org.springframework.boot.actuate.health.SimpleStatusAggregator;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * The health group {@value NovaHealthDetails#GROUP} on Spring Boot 3: the {@code nova} component
 * alone, its status the highest severity, {@code 503} on CRITICAL (as on {@code DOWN}), details
 * shown as the health endpoint's own settings say. It sits beside {@code liveness} and {@code
 * readiness}, never in them, the way Boot adds its probe groups: a post-processor of the groups, so
 * no property is set and an application that excludes the starter has no group left naming a
 * missing component. A group of that name the application configures itself wins.
 *
 * <p>Its name is not {@code nova}: Spring Boot refuses a group named as a component.
 */
final class NovaHealthGroup implements HealthEndpointGroupsPostProcessor {
  @Override
  public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
    if (groups.get(NovaHealthDetails.GROUP) != null) {
      return groups;
    }
    Map<String, HealthEndpointGroup> all = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      all.put(name, groups.get(name));
    }
    all.put(NovaHealthDetails.GROUP, new Group(groups.getPrimary()));
    return new HealthEndpointGroups() {
      @Override
      public HealthEndpointGroup getPrimary() {
        return groups.getPrimary();
      }

      @Override
      public Set<String> getNames() {
        return new LinkedHashSet<>(all.keySet());
      }

      @Override
      public HealthEndpointGroup get(String name) {
        return all.get(name);
      }
    };
  }

  private static final class Group implements HealthEndpointGroup {
    private static final StatusAggregator AGGREGATOR =
        new SimpleStatusAggregator(NovaHealthDetails.ORDER);
    private static final HttpCodeStatusMapper MAPPER =
        new SimpleHttpCodeStatusMapper(NovaHealthDetails.HTTP);

    private final HealthEndpointGroup primary;

    Group(HealthEndpointGroup primary) {
      this.primary = primary;
    }

    @Override
    public boolean isMember(String name) {
      return NovaHealthDetails.MEMBER.equals(name);
    }

    @Override
    public boolean showComponents(SecurityContext context) {
      return primary.showComponents(context);
    }

    @Override
    public boolean showDetails(SecurityContext context) {
      return primary.showDetails(context);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return AGGREGATOR;
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return MAPPER;
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return null;
    }
  }
}
