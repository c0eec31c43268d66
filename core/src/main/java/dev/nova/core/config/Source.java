package dev.nova.core.config;

/** Where an option's value came from, strongest first. */
public enum Source {
  AGENT_ARGUMENT("agent argument"),
  CODE("code"),
  SYSTEM_PROPERTY("system property"),
  ENVIRONMENT("environment"),
  DEFAULT("default");

  private final String label;

  Source(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
