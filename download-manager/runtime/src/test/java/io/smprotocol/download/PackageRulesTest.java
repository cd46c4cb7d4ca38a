package io.smprotocol.download;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The download manager's package rules: its user API stands on its own, and no two of its packages (listener,
 * HTTP semantics, files, client policy, tracking, memcached, config) import each other in a cycle.
 */
class PackageRulesTest {

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.smprotocol");
    }

    @Test
    void theUserApiNeverImportsARuntime() {
        noClasses().that().resideInAnyPackage("io.smprotocol.download")
                .should().dependOnClassesThat().resideInAnyPackage("io.smprotocol.runtime..",
                        "io.smprotocol.downloads.runtime..")
                .check(classes);
    }

    @Test
    void noPackageCycle() {
        slices().matching("io.smprotocol.(**)").should().beFreeOfCycles().check(classes);
    }
}
