package dev.nova.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nova.core.Nova;
import dev.nova.testing.Http;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's write operation takes every parameter of every Nova action, by its own name (as
 * Actuator binds them: from the class file's parameter names), so no action loses one under the
 * starter.
 */
class NovaEndpointTest {
  @Test
  void everyParameterOfEveryActionIsAParameterOfTheWriteOperation() throws Exception {
    TreeSet<String> wanted = new TreeSet<>();
    try (Nova nova = Nova.builder().option("port", "0").start()) {
      Http admin = new Http(nova.address().orElseThrow().getPort());
      for (JsonNode action : admin.get("/debug/nova/actions").json().get("actions")) {
        for (JsonNode p : action.get("params")) {
          wanted.add(p.get("name").asText());
        }
      }
    }
    assertThat(wanted).contains("olderThan", "pool", "dryRun");
    assertThat(new TreeSet<>(NovaEndpoint.PARAMETERS)).isEqualTo(wanted);

    Method act = null;
    for (Method m : NovaEndpoint.class.getMethods()) {
      if (m.getName().equals("act")) {
        act = m;
      }
    }
    List<String> named = new ArrayList<>();
    for (Parameter p : act.getParameters()) {
      assertThat(p.isNamePresent()).as("compiled with -parameters").isTrue();
      named.add(p.getName());
    }
    assertThat(named).containsAll(NovaEndpoint.PARAMETERS);
  }
}
