package dev.nova.core.area;

import java.util.function.Consumer;

/**
 * One concern of Nova (JDBC with its pools, HTTP with WebSocket, heap, threads...), installed once
 * per {@code Nova}: handed the {@link Wiring}, it builds its probes and registers its own meters,
 * detectors, signals, actions and views. The composition root only lists the areas; everything
 * about a concern lives in its package, beside its area.
 *
 * <p>Nothing here may throw into the host: an area builds objects and registers them, and leaves
 * threads, recordings and listeners to {@link Wiring#onStart}, which runs only when Nova is
 * enabled.
 */
public interface Area {
  /** A short name ({@code jdbc}, {@code http}), as the report's {@code agent.areas} lists it. */
  String name();

  /** Builds this area's parts and registers them; called once, before Nova starts. */
  void install(Wiring wiring);

  /** An area from its name and what it installs, for a service's own small concern. */
  static Area of(String name, Consumer<Wiring> install) {
    return new Area() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void install(Wiring wiring) {
        install.accept(wiring);
      }
    };
  }
}
