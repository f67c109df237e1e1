package dev.coxswain.bench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The allowed dependencies between the modules' main code, written down once and checked on the bytecode (ArchUnit):
 * a back-edge, say {@code collector} reaching into {@code dashboards}, fails the build. {@code app} wires everything
 * and may use every module but {@code bench}, the top, which may use all. A module is its package under
 * {@code dev.coxswain}. The test lives in {@code bench} because only there is every module on the classpath.
 */
class ModuleRulesTest {
    /** Module package to the module packages its main code may use (besides itself). */
    static final Map<String, Set<String>> ALLOWED = allowed();

    private static Map<String, Set<String>> allowed() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("core", Set.of());
        m.put("transport", Set.of("core"));
        m.put("broker", Set.of("core"));
        m.put("snapshot", Set.of("core"));
        m.put("whatif", Set.of("core"));
        m.put("sdk", Set.of("core"));
        m.put("testkit", Set.of("core", "transport", "broker", "snapshot"));
        m.put("agent", Set.of("core", "transport"));
        m.put("collector", Set.of("core", "transport", "snapshot"));
        m.put("trainer", Set.of("core", "sdk"));
        m.put("graphmodels", Set.of("core", "snapshot"));
        m.put("controller", Set.of("core", "snapshot"));
        m.put("dashboards", Set.of("core", "snapshot", "whatif"));
        Set<String> belowApp = new HashSet<>(m.keySet());
        belowApp.remove("testkit");
        m.put("app", Set.copyOf(belowApp));
        return m;
    }

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.coxswain");

    @Test
    void everyModuleUsesOnlyTheModulesItIsAllowedTo() {
        for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
            List<String> forbidden = ALLOWED.keySet().stream()
                    .filter(other -> !other.equals(e.getKey()) && !e.getValue().contains(other))
                    .map(other -> "dev.coxswain." + other + "..").collect(Collectors.toList());
            forbidden.add("dev.coxswain.bench..");
            ArchRule rule = noClasses().that().resideInAPackage("dev.coxswain." + e.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because("module " + e.getKey() + " may use only " + e.getValue() + " (ModuleRulesTest.ALLOWED)");
            rule.check(MAIN);
        }
    }

    @Test
    void theRulesCoverEveryModule() {
        Set<String> found = MAIN.stream().map(c -> c.getPackageName().split("\\.")).filter(p -> p.length > 2)
                .map(p -> p[2]).collect(Collectors.toSet());
        Set<String> all = new HashSet<>(ALLOWED.keySet());
        all.add("bench");
        assertThat(found).as("every module's package is in the rules (bench, the top, may use them all)")
                .containsExactlyInAnyOrderElementsOf(all);
    }
}
