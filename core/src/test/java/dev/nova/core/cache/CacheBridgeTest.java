package dev.nova.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.bridge.CacheBridge;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Caches built before Nova's core is up are handed over when it is. */
class CacheBridgeTest {

  @Test
  void cachesBuiltBeforeInstallAreHandedOverOnInstall() {
    List<Object> seen = new ArrayList<>();
    Consumer<Object> first = seen::add;
    CacheBridge.install(first);
    CacheBridge.uninstall(first); // no core now: what is built waits
    Object early = new Object();
    CacheBridge.built(early);
    assertThat(seen).isEmpty();
    List<Object> later = new ArrayList<>();
    Consumer<Object> second = later::add;
    CacheBridge.install(second);
    assertThat(later).containsExactly(early);
    Object after = new Object();
    CacheBridge.built(after);
    assertThat(later).containsExactly(early, after);
    CacheBridge.uninstall(second);
  }
}
