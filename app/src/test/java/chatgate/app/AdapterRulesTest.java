package chatgate.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Adapters plug into the core's ports and know nothing of each other or of the app that wires
 * them: the SMS channel never reaches into the store, the cluster never into the web.
 */
class AdapterRulesTest {
  private static final List<String> ADAPTERS =
      List.of("chatgate.store", "chatgate.sms", "chatgate.xmpp", "chatgate.web", "chatgate.cluster");
  private final JavaClasses all = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
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
}
