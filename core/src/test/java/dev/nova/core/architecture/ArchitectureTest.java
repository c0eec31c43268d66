package dev.nova.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core's layers, read from its compiled classes: no two packages depend on each other in a loop
 * (each sub-package, {@code http.netty} say, is a package of its own), and nothing in the core
 * reaches into the agent. A dependency that runs back up the layers is a cycle here, so this fails
 * on it with the classes that make it.
 */
class ArchitectureTest {
  /** Each package its own slice, the root and every sub-package included. */
  static final SliceAssignment BY_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          return SliceIdentifier.of(c.getPackageName());
        }

        @Override
        public String getDescription() {
          return "the core's packages";
        }
      };

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.nova.core");
  }

  @Test
  void corePackagesFormNoCycle() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(core);
  }

  @Test
  void coreNeverImportsTheAgent() {
    noClasses()
        .that()
        .resideInAPackage("dev.nova.core..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.nova.agent..")
        .check(core);
  }
}
