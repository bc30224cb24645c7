package keyquota.api.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers: domain knows no framework but Axon's modelling; infrastructure knows none of ours; projections and
 * application know no layer above them, and application holds use cases without storage mechanics. A plain JUnit
 * test over the production classes of all modules (no Spring), and one over their sources.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("keyquota");
        // A rule over no classes proves nothing: make sure every layer was found on the class path.
        for (String layer : new String[] {"domain", "infrastructure", "projections", "application", "api"}) {
            assertThat(classes.stream().filter(c -> c.getPackageName().startsWith("keyquota." + layer + ".")))
                    .as("classes of keyquota.%s", layer).isNotEmpty();
        }
    }

    @Test
    void theDomainDependsOnNoFrameworkButAxonModelling() {
        ArchRule rule = noClasses().that().resideInAPackage("keyquota.domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..",
                        "jakarta.servlet..",
                        "jakarta.ws.rs..",
                        "..web..",
                        "..http..",
                        "io.micrometer..",
                        "keyquota.application..",
                        "keyquota.infrastructure..",
                        "keyquota.projections..",
                        "keyquota.api..")
                .because("the domain is plain Java with Axon's modelling annotations; it is measured from outside");
        rule.check(classes);
    }

    @Test
    void theDomainUsesNoAxonSpringIntegration() {
        noClasses().that().resideInAPackage("keyquota.domain..")
                .should().dependOnClassesThat().resideInAPackage("org.axonframework.spring..")
                .check(classes);
    }

    @Test
    void infrastructureKnowsNoOtherLayer() {
        noClasses().that().resideInAPackage("keyquota.infrastructure..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "keyquota.domain..", "keyquota.projections..", "keyquota.application..", "keyquota.api..")
                .because("storage mechanics hold no domain rules")
                .check(classes);
    }

    @Test
    void theApplicationHoldsUseCasesWithoutStorageMechanics() {
        noClasses().that().resideInAPackage("keyquota.application..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .orShould().dependOnClassesThat().belongToAnyOf(Files.class)
                .because("SQL and files live in keyquota.infrastructure (or, for read models, keyquota.projections)")
                .check(classes);
    }

    /**
     * Axon's tables are named in one Java file, {@code AxonTables} (and mapped for Axon in
     * {@code AxonStorageConfiguration}): a change of Axon's schema is made there and in the migrations only.
     */
    @Test
    void oneFileKnowsAxonsTables() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        Pattern tables = Pattern.compile("\\b(domain_event_entry|snapshot_event_entry|token_entry|dead_letter_entry)\\b");
        List<String> naming = new ArrayList<>();
        for (String module : List.of("domain", "infrastructure", "projections", "application", "api")) {
            try (Stream<Path> sources = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                sources.filter(path -> path.toString().endsWith(".java"))
                        .filter(path -> tables.matcher(read(path)).find())
                        .forEach(path -> naming.add(path.getFileName().toString()));
            }
        }
        assertThat(naming).containsExactlyInAnyOrder("AxonStorageConfiguration.java", "AxonTables.java");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void projectionsDependOnNeitherApplicationNorApi() {
        noClasses().that().resideInAPackage("keyquota.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("keyquota.application..", "keyquota.api..")
                .check(classes);
    }

    @Test
    void theApplicationDoesNotDependOnTheApi() {
        noClasses().that().resideInAPackage("keyquota.application..")
                .should().dependOnClassesThat().resideInAPackage("keyquota.api..")
                .check(classes);
    }

    /**
     * The domain's packages form no cycle: {@code membership} (the aggregate) uses {@code key} (its keys and their
     * messages), and both use what they share from {@code keyquota.domain} itself (the role, the membership id).
     */
    @Test
    void theDomainsPackagesFormNoCycle() {
        slices().matching("keyquota.domain.(*)..").should().beFreeOfCycles().check(classes);
    }
}
