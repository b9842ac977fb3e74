package io.tributary;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layer rules of DESIGN.md, enforced.
 *
 * <p>Think hard before changing this file. These rules keep the storage engine a plain Java
 * library, keep ZooKeeper and JPA each behind one package, and keep the dependency arrows pointing
 * down. A change here that makes a failing build pass is almost always the wrong fix: move the code
 * instead.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tributary");
    }

    @Test
    void logDependsOnNoFrameworks() {
        noClasses().that().resideInAPackage("io.tributary.log..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "reactor..", "org.apache.curator..", "org.apache.zookeeper..",
                        "jakarta.persistence..", "org.hibernate..", "io.netty..")
                .check(classes);
    }

    @Test
    void logDependsOnlyOnCommon() {
        noClasses().that().resideInAPackage("io.tributary.log..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.tributary.api..", "io.tributary.config..", "io.tributary.cluster..",
                        "io.tributary.replication..", "io.tributary.group..", "io.tributary.metadata..",
                        "io.tributary.service..")
                .check(classes);
    }

    @Test
    void commonDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("io.tributary.common..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.tributary.log..", "io.tributary.api..", "io.tributary.config..", "io.tributary.cluster..",
                        "io.tributary.replication..", "io.tributary.group..", "io.tributary.metadata..",
                        "io.tributary.service..", "org.springframework..")
                .check(classes);
    }

    @Test
    void onlyClusterTouchesZooKeeper() {
        noClasses().that().resideOutsideOfPackages("io.tributary.cluster..", "io.tributary.config..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.curator..", "org.apache.zookeeper..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void onlyMetadataTouchesJpa() {
        noClasses().that().resideOutsideOfPackages("io.tributary.metadata..", "io.tributary.config..")
                .should().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "org.hibernate..",
                        "org.springframework.data.jpa..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void apiNeverTouchesStorageFilesOrZooKeeperDirectly() {
        noClasses().that().resideInAPackage("io.tributary.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tributary.log.segment..",
                        "io.tributary.log.index..", "io.tributary.log.checkpoint..", "io.tributary.cluster..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void noCyclesBetweenTopLevelPackages() {
        slices().matching("io.tributary.(*)..").should().beFreeOfCycles().check(classes);
    }
}
