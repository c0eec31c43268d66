package dev.nova.spring;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/** {@link NovaHealthGroup} on Spring Boot 4's health API ({@code spring-boot-health}). */
final class NovaBoot4HealthGroup implements HealthEndpointGroupsPostProcessor {
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
