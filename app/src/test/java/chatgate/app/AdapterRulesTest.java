package chatgate.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Adapters plug into the core's ports and know nothing of each other or of the app that wires
 * them: the SMS channel never reaches into the store, the cluster never into the web.
 */
class AdapterRulesTest {
  private static final List<String> ADAPTERS =
      List.of("chatgate.store", "chatgate.sms", "chatgate.xmpp", "chatgate.web", "chatgate.cluster");
  /** The test kit, in the reactor (testkit/target/classes) or as a jar: on the test class path only. */
  private static final Pattern TESTKIT = Pattern.compile(".*/testkit/target/classes/.*|.*/testkit-[^/]*\\.jar.*");
  private final JavaClasses all = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.matches(TESTKIT))
      .importPackages("chatgate");
  private final JavaClasses testkit = new ClassFileImporter()
      .withImportOption(location -> location.matches(TESTKIT))
      .importPackages("chatgate");

  @Test
  void noAdapterDependsOnAnotherAdapterOrOnTheApp() {
    for (String adapter : ADAPTERS) {
      String[] others = ADAPTERS.stream().filter(a -> !a.equals(adapter)).map(a -> a + "..").toArray(String[]::new);
      noClasses().that().resideInAPackage(adapter + "..")
          .should().dependOnClassesThat().resideInAnyPackage(others)
          .orShould().dependOnClassesThat().resideInAPackage("chatgate.app..")
          .check(all);
    }
  }

  /** Production code never reaches into the test kit (ADR 0050): it shares packages with production. */
  @Test
  void noProductionClassDependsOnTheTestKit() {
    Set<String> kit = testkit.stream().map(JavaClass::getName).collect(Collectors.toSet());
    assertThat(kit).contains("chatgate.core.testing.CoreFixture", "chatgate.core.memory.MemoryMessageStore");
    assertThat(all.contain("chatgate.core.testing.CoreFixture")).isFalse();
    ArchRule rule = noClasses().should().dependOnClassesThat(
        DescribedPredicate.describe("are in the test kit", (JavaClass c) -> kit.contains(c.getName())));
    rule.check(all);
    // The rule can fail: the kit itself depends on the kit.
    assertThatThrownBy(() -> rule.check(testkit)).isInstanceOf(AssertionError.class);
  }
}
