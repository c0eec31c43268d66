package dev.nova.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nova.core.health.NovaHealth;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
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
    public void interest(Interest interest) {
      interest.types("victim.Victim", "victim.Bystander");
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder) {
      return builder
          .type(named("victim.Victim"))
          .transform(
              (b, type, loader, module, domain) -> {
                throw new IllegalStateException("advice could not be woven");
              })
          .type(named("victim.Bystander"))
          .transform((b, type, loader, module, domain) -> b);
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
}
