package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.health.NovaHealth;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

/** The installer on a real {@link Instrumentation}: errors are counted, never thrown. */
class AgentInstallerTest {

  /** Throws while transforming victim.Victim; leaves victim.Bystander as it is. */
  static final class Hostile implements InstrumentationModule {
    @Override
    public String name() {
      return "hostile";
    }

    @Override
    public void hook(Hooking h) {
      h.named(
              "victim.Victim",
              (b, type, loader, module, domain) -> {
                throw new IllegalStateException("advice could not be woven");
              })
          .named("victim.Bystander", (b, type, loader, module, domain) -> b);
    }
  }

  @Test
  void aFailingTransformationIsCountedAndTheHostClassStillLoadsAndRuns() throws Exception {
    Instrumentation inst = ByteBuddyAgent.install();
    NovaHealth health = new NovaHealth();
    AgentInstaller installer = new AgentInstaller(health, List.of(new Hostile()));
    installer.install(inst);

    // Loading happens after install: the transformer sees both classes load.
    Object victim = Class.forName("victim.Victim").getConstructor().newInstance();
    Object bystander = Class.forName("victim.Bystander").getConstructor().newInstance();
    assertThat(victim.getClass().getMethod("answer").invoke(victim)).isEqualTo(42);
    assertThat(bystander.getClass().getMethod("name").invoke(bystander)).isEqualTo("bystander");

    assertThat(health.transformErrors()).isEqualTo(1);
    assertThat(health.recentErrors())
        .singleElement()
        .asString()
        .contains("victim.Victim")
        .contains("advice could not be woven");
    Map<String, Object> described = installer.describe(inst);
    assertThat(described.get("installed")).isEqualTo(true);
    assertThat(described.get("modules")).isEqualTo(List.of("hostile"));
    assertThat(described.get("transformErrors")).isEqualTo(1L);
    assertThat((Long) described.get("typesTransformed")).isEqualTo(1L);
  }

  /** Fails while saying what it hooks. */
  static final class Broken implements InstrumentationModule {
    @Override
    public String name() {
      return "broken";
    }

    @Override
    public void hook(Hooking h) {
      throw new IllegalStateException("a module's own bug");
    }
  }

  /** Hooks victim.Survivor, leaving it as it is. */
  static final class Sound implements InstrumentationModule {
    @Override
    public String name() {
      return "sound";
    }

    @Override
    public void hook(Hooking h) {
      h.named("victim.Survivor", (b, type, loader, module, domain) -> b);
    }
  }

  @Test
  void aModuleThatThrowsWhileHookingIsCountedAndTheOthersStillInstall() throws Exception {
    Instrumentation inst = ByteBuddyAgent.install();
    NovaHealth health = new NovaHealth();
    AgentInstaller installer = new AgentInstaller(health, List.of(new Broken(), new Sound()));
    installer.install(inst);

    Object survivor = Class.forName("victim.Survivor").getConstructor().newInstance();
    assertThat(survivor.getClass().getMethod("name").invoke(survivor)).isEqualTo("survivor");
    Map<String, Object> described = installer.describe(inst);
    assertThat(described.get("installed")).isEqualTo(true);
    assertThat(described).doesNotContainKey("problem");
    assertThat((Long) described.get("typesTransformed")).isEqualTo(1L);
    assertThat(health.transformErrors()).isEqualTo(1);
    assertThat(health.recentErrors()).singleElement().asString().contains("a module's own bug");
  }
}
