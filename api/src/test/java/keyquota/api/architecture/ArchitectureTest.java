package keyquota.api.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layers: domain knows no framework but Axon's modelling, projections and application know no layer above
 * them. A plain JUnit test over the production classes of all modules (no Spring).
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("keyquota");
        // A rule over no classes proves nothing: make sure every layer was found on the class path.
        for (String layer : new String[] {"domain", "projections", "application", "api"}) {
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
                        "keyquota.application..",
                        "keyquota.projections..",
                        "keyquota.api..")
                .because("the domain is plain Java with Axon's modelling annotations");
        rule.check(classes);
    }

    @Test
    void theDomainUsesNoAxonSpringIntegration() {
        noClasses().that().resideInAPackage("keyquota.domain..")
                .should().dependOnClassesThat().resideInAPackage("org.axonframework.spring..")
                .check(classes);
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
