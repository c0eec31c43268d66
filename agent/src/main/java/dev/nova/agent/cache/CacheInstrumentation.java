package dev.nova.agent.cache;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.nova.agent.Hooking;
import dev.nova.agent.InstrumentationModule;
import dev.nova.core.bridge.CacheBridge;
import net.bytebuddy.asm.Advice;

/** Finds the Caffeine caches the host builds, so that {@code cache-trim} can reach them. */
public final class CacheInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "caffeine";
  }

  /** {@code Caffeine.build(..)} and {@code buildAsync(..)}: hands the new cache to Nova. */
  static final class Built {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return Object cache) {
      CacheBridge.built(cache);
    }
  }

  @Override
  public void hook(Hooking h) {
    h.named(
        "com.github.benmanes.caffeine.cache.Caffeine",
        (b, type, loader, module, domain) ->
            b.visit(
                Advice.to(Built.class)
                    .on(named("build").or(named("buildAsync")).and(not(isStatic())))));
  }
}
