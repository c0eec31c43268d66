package dev.nova.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent's modules are found, not listed: every module class in the agent is installed. */
class ModulesTest {

  @Test
  void everyModuleClassOfTheAgentIsDiscoveredOnceWithItsOwnName() throws Exception {
    List<InstrumentationModule> found = NovaAgent.modules();
    TreeSet<String> discovered = new TreeSet<>();
    TreeSet<String> names = new TreeSet<>();
    for (InstrumentationModule m : found) {
      discovered.add(m.getClass().getName());
      names.add(m.name());
    }
    assertThat(discovered).as("modules in the services file").isEqualTo(moduleClasses());
    assertThat(names).as("one name each, for instrumentation.off").hasSize(found.size());
  }

  @Test
  void instrumentationOffLeavesOutTheModulesNamed() {
    List<String> kept = new ArrayList<>();
    NovaAgent.without(NovaAgent.modules(), "threads; jdbc").forEach(m -> kept.add(m.name()));
    assertThat(kept).doesNotContain("threads", "jdbc").contains("netty", "servlet");
  }

  /** Every concrete InstrumentationModule among the agent's compiled classes. */
  private static TreeSet<String> moduleClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(
            InstrumentationModule.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    TreeSet<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String rel = root.relativize(p).toString();
        if (!rel.endsWith(".class") || rel.contains("$")) {
          continue;
        }
        String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
        Class<?> c;
        try {
          c = Class.forName(name, false, ModulesTest.class.getClassLoader());
        } catch (LinkageError | ClassNotFoundException e) {
          continue; // advice typed on a library the tests do not have
        }
        if (InstrumentationModule.class.isAssignableFrom(c)
            && !c.isInterface()
            && !Modifier.isAbstract(c.getModifiers())) {
          out.add(name);
        }
      }
    }
    return out;
  }
}
