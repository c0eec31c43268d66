package dev.nova.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.health.NovaHealth;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.implementation.StubMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version line on a real {@link Instrumentation}, against two versions of a library written as
 * class files: the one with every hooked method is hooked; the one without one of them is left as
 * it is, and the report names the missing method. A loader without the library says nothing.
 */
class HooksTest {
  @TempDir Path known;
  @TempDir Path unknown;
  @TempDir Path none;

  /** Makes {@code open()} answer "hooked". */
  static final class Open {
    @Advice.OnMethodExit
    static void exit(@Advice.Return(readOnly = false) String answer) {
      answer = "hooked";
    }
  }

  static final Hooks LINE =
      Hooks.line("testlib (1)")
          .hook(
              "testlib.Session",
              named("open").and(takesArguments(0)),
              "open()",
              HooksTest.Open.class)
          .requires("testlib.Session", named("close").and(takesArguments(1)), "close(int)");

  static final class Module implements InstrumentationModule {
    @Override
    public String name() {
      return "testlib";
    }

    @Override
    public void hook(Hooking h) {
      h.line(LINE);
    }
  }

  @Test
  void aVersionWithEveryHookIsHookedAndOneMissingAHookIsSkippedAndSaidSo() throws Exception {
    session(true).saveIn(known.toFile());
    session(false).saveIn(unknown.toFile());
    Instrumentation inst = ByteBuddyAgent.install();
    AgentInstaller installer = new AgentInstaller(new NovaHealth(), List.of(new Module()));
    installer.install(inst);

    assertThat(open(unknown)).as("a version Nova does not know runs as it is").isEqualTo("plain");
    assertThat(open(known)).isEqualTo("hooked");
    try (URLClassLoader empty = new URLClassLoader(new URL[] {none.toUri().toURL()}, null)) {
      assertThat(LINE.matches(empty)).as("no library, nothing to say").isFalse();
    }
    @SuppressWarnings("unchecked")
    Map<String, String> libraries = (Map<String, String>) installer.describe(inst).get("libraries");
    assertThat(libraries.get("testlib (1)"))
        .as("a skip in any loader is what the report keeps")
        .isEqualTo("skipped, a version Nova does not know: no testlib.Session#close(int)");
  }

  private static String open(Path dir) throws Exception {
    try (URLClassLoader l = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      Object s = l.loadClass("testlib.Session").getConstructor().newInstance();
      return (String) s.getClass().getMethod("open").invoke(s);
    }
  }

  /** The library's session class, with or without {@code close(int)}. */
  private static DynamicType.Unloaded<Object> session(boolean withClose) {
    var b =
        new ByteBuddy()
            .subclass(Object.class)
            .name("testlib.Session")
            .defineMethod("open", String.class, Visibility.PUBLIC)
            .intercept(FixedValue.value("plain"));
    return withClose
        ? b.defineMethod("close", void.class, Visibility.PUBLIC)
            .withParameters(int.class)
            .intercept(StubMethod.INSTANCE)
            .make()
        : b.make();
  }
}
