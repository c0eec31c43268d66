package dev.nova.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.SimpleHttpCodeStatusMapper;
import org.springframework.boot.actuate.health.SimpleStatusAggregator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * The {@code nova-diagnosis} group as Spring Boot's own groups are made: added beside the
 * configured ones, Nova's severities ordered above Spring's, CRITICAL answered 503, details shown
 * as the primary group says; a group the application configured under that name is left alone. The
 * applications of {@code StarterAppIT} probe it over HTTP on Boot 3 and 4.
 */
class NovaHealthGroupTest {
  /** The primary group as Boot makes it from properties: details for the authorized only. */
  static final class Primary implements HealthEndpointGroup {
    @Override
    public boolean isMember(String name) {
      return true;
    }

    @Override
    public boolean showComponents(SecurityContext context) {
      return true;
    }

    @Override
    public boolean showDetails(SecurityContext context) {
      return context.getPrincipal() != null;
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return new SimpleStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return new SimpleHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return null;
    }
  }

  @Test
  void theGroupHoldsNovaAloneAndAnswersItsSeverity() {
    HealthEndpointGroup liveness = new Primary();
    HealthEndpointGroups groups =
        new NovaHealthGroup()
            .postProcessHealthEndpointGroups(
                HealthEndpointGroups.of(new Primary(), Map.of("liveness", liveness)));
    assertThat(groups.getNames()).containsExactlyInAnyOrder("liveness", "nova-diagnosis");
    assertThat(groups.get("liveness")).isSameAs(liveness);
    HealthEndpointGroup g = groups.get("nova-diagnosis");
    assertThat(g.isMember("nova")).isTrue();
    assertThat(g.isMember("db")).isFalse();
    assertThat(g.getAdditionalPath()).isNull();
    assertThat(g.getStatusAggregator().getAggregateStatus(Set.of(Status.UP, new Status("HIGH"))))
        .isEqualTo(new Status("HIGH"));
    assertThat(
            g.getStatusAggregator()
                .getAggregateStatus(Set.of(new Status("MEDIUM"), new Status("CRITICAL"))))
        .isEqualTo(new Status("CRITICAL"));
    HttpCodeStatusMapper http = g.getHttpCodeStatusMapper();
    assertThat(http.getStatusCode(new Status("CRITICAL"))).isEqualTo(503);
    assertThat(http.getStatusCode(new Status("HIGH"))).isEqualTo(200);
    assertThat(http.getStatusCode(Status.DOWN)).isEqualTo(503);
    assertThat(http.getStatusCode(Status.UP)).isEqualTo(200);
    assertThat(g.showDetails(SecurityContext.NONE)).as("as the primary says").isFalse();
  }

  @Test
  void aGroupTheApplicationConfiguredUnderThatNameWins() {
    HealthEndpointGroup theirs = new Primary();
    HealthEndpointGroups configured =
        HealthEndpointGroups.of(new Primary(), Map.of("nova-diagnosis", theirs));
    assertThat(new NovaHealthGroup().postProcessHealthEndpointGroups(configured))
        .isSameAs(configured);
  }

  @Test
  void onBoot4TheGroupIsTheSame() {
    var groups =
        new NovaBoot4HealthGroup()
            .postProcessHealthEndpointGroups(
                org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups.of(
                    new org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup() {
                      @Override
                      public boolean isMember(String name) {
                        return true;
                      }

                      @Override
                      public boolean showComponents(SecurityContext c) {
                        return true;
                      }

                      @Override
                      public boolean showDetails(SecurityContext c) {
                        return true;
                      }

                      @Override
                      public org.springframework.boot.health.actuate.endpoint.StatusAggregator
                          getStatusAggregator() {
                        return null;
                      }

                      @Override
                      public org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper
                          getHttpCodeStatusMapper() {
                        return null;
                      }

                      @Override
                      public org.springframework.boot.health.actuate.endpoint
                              .AdditionalHealthEndpointPath
                          getAdditionalPath() {
                        return null;
                      }
                    },
                    Map.of()));
    var g = groups.get("nova-diagnosis");
    assertThat(g.isMember("nova")).isTrue();
    assertThat(g.showDetails(SecurityContext.NONE)).isTrue();
    assertThat(
            g.getHttpCodeStatusMapper()
                .getStatusCode(new org.springframework.boot.health.contributor.Status("CRITICAL")))
        .isEqualTo(503);
  }
}
