package dev.nova.spring;

import dev.nova.core.Nova;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/** {@link NovaHealthIndicator} on Spring Boot 4's health API ({@code spring-boot-health}). */
final class NovaBoot4HealthIndicator implements HealthIndicator {
  private final Nova nova;

  NovaBoot4HealthIndicator(Nova nova) {
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
