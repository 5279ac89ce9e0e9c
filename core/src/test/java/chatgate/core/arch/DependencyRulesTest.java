package chatgate.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The core stays free of adapters and I/O: protocols and storage plug in from outside. */
class DependencyRulesTest {
  private final JavaClasses core = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("chatgate.core");

  @Test
  void coreDependsOnNoAdapterModule() {
    noClasses().that().resideInAPackage("chatgate.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "chatgate.store..", "chatgate.web..", "chatgate.sms..", "chatgate.xmpp..", "chatgate.cluster..",
            "chatgate.app..")
        .check(core);
  }

  @Test
  void coreUsesNoIoLibrary() {
    noClasses().that().resideInAPackage("chatgate.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "java.io..", "java.nio.file..", "java.nio.channels..", "java.net..", "java.sql..", "javax.sql..",
            "java.net.http..", "org.eclipse.jetty..", "org.jdbi..", "org.flywaydb..", "org.jsmpp..",
            "org.jivesoftware..", "io.nats..", "com.fasterxml..", "gg.jte..", "ch.qos.logback..")
        .check(core);
  }

  @Test
  void portsDependOnlyOnTheModel() {
    noClasses().that().resideInAPackage("chatgate.core.port..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "chatgate.core.delivery..", "chatgate.core.chat..", "chatgate.core.memory..", "chatgate.core.routing..")
        .check(core);
  }
}
