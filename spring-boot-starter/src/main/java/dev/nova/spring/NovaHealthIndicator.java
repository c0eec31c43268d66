package dev.nova.spring;

import dev.nova.core.Nova;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Actuator's {@code nova} health component on Spring Boot 3: {@code UP} when no finding holds, else
 * the highest finding's severity as its status ({@code CRITICAL}, {@code HIGH}, {@code MEDIUM},
 * {@code LOW}), with the findings as details. Those statuses are none of Spring's, so its
 * aggregation leaves them out: Nova never turns {@code /actuator/health}, its liveness or its
 * readiness down, and a CRITICAL finding never has Kubernetes restart the pod. A group that should,
 * names {@code nova} and orders the severities itself.
 */
final class NovaHealthIndicator implements HealthIndicator {
  private final Nova nova;

  NovaHealthIndicator(Nova nova) {
    this.nova = nova;
  }

  @Override
  public Health health() {
    NovaHealthDetails d = NovaHealthDetails.of(nova);
    return Health.status(d.up() ? Status.UP : new Status(d.severity()))
        .withDetails(d.details())
        .build();
  }
}
