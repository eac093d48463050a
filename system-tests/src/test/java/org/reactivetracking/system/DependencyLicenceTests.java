package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Everything this project runs or tests with carries an open-source licence: every Maven dependency of every module,
 * test scope included (read from the CycloneDX bill of materials each module's build writes, {@code target/bom.json},
 * with the licence its pom declares), and every npm package of the local engines (each {@code package.json} under
 * {@code .local-engines}). A licence outside the list below fails the build, naming the component; a component that
 * declares none fails too.
 */
class DependencyLicenceTests {

    private static final Path ROOT = Path.of(System.getProperty("service-jars.dir"));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** OSI-approved licences (SPDX ids), and public-domain dedications. */
    private static final Set<String> OPEN_SOURCE = Set.of("Apache-2.0", "MIT", "MIT-0", "ISC", "BSD-2-Clause",
            "BSD-3-Clause", "EPL-1.0", "EPL-2.0", "MPL-2.0", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only",
            "GPL-2.0-with-classpath-exception", "CC0-1.0", "0BSD", "BlueOak-1.0.0");

    /** Components whose pom names its licence by a name rather than an SPDX id, each read by hand. */
    private static final Map<String, String> NAMED = Map.of(
            // the BSD-3-Clause text under the name of the Go project it was ported from
            "com.google.re2j:re2j", "Go License",
            // "The JSON License" until 2023; the versions since are dedicated to the public domain
            "org.json:json", "Public Domain");

    private static final List<String> MODULES = List.of("common-model", "local-engines", "kinesis-batch",
            "observability", "tracking-service", "kinesis-consumer", "redis-updater", "system-tests");

    @Test
    void everyMavenDependencyOfEveryModuleIsOpenSource() throws IOException {
        Map<String, List<String>> licences = new TreeMap<>();
        for (String module : MODULES) {
            Path bom = ROOT.resolve(module).resolve("target/bom.json");
            assertThat(bom).as("the bill of materials of %s (written in the package phase)", module).exists();
            for (JsonNode component : JSON.readTree(bom.toFile()).path("components")) {
                List<String> declared = new ArrayList<>();
                for (JsonNode licence : component.path("licenses")) {
                    JsonNode named = licence.path("license");
                    declared.add(named.hasNonNull("id") ? named.get("id").asString()
                            : named.hasNonNull("name") ? named.get("name").asString()
                                    : licence.path("expression").asString());
                }
                licences.put(component.path("group").asString() + ":" + component.path("name").asString(),
                        declared);
            }
        }

        assertThat(licences).as("dependencies").hasSizeGreaterThan(100)
                .doesNotContainKeys("com.amazonaws:DynamoDBLocal", "software.amazon.dynamodb:DynamoDBLocal");
        licences.forEach((component, declared) -> assertThat(declared).as("licences of %s", component).isNotEmpty()
                .allSatisfy(licence -> assertThat(OPEN_SOURCE.contains(licence)
                        || licence.equals(NAMED.get(component))).as("%s: %s is open source", component, licence)
                        .isTrue()));
    }

    @Test
    void everyNpmPackageOfTheEnginesIsOpenSource() throws IOException {
        Map<String, String> licences = new TreeMap<>();
        for (String engine : List.of("kinesis-local", "dynalite")) {
            Path modules = ROOT.resolve(".local-engines").resolve(engine + "-" + System.getProperty(
                    engine + ".version")).resolve("node_modules");
            assertThat(modules).as("%s installed (the build's engines install it)", engine).isDirectory();
            try (Stream<Path> files = Files.walk(modules)) {
                for (Path packageJson : files.filter(file -> file.getFileName().toString().equals("package.json")
                        && file.getParent().getParent().getFileName().toString().matches("node_modules|@.*"))
                        .toList()) {
                    JsonNode manifest = JSON.readTree(packageJson.toFile());
                    JsonNode licence = manifest.path("license");
                    licences.put(engine + " > " + manifest.path("name").asString() + "@"
                            + manifest.path("version").asString(),
                            licence.isObject() ? licence.path("type").asString() : licence.asString());
                }
            }
        }

        assertThat(licences).as("npm packages").containsKeys("kinesis-local > kinesis-local@"
                + System.getProperty("kinesis-local.version"), "dynalite > dynalite@"
                + System.getProperty("dynalite.version"));
        licences.forEach((component, licence) -> assertThat(OPEN_SOURCE).as("%s: %s is open source", component,
                licence).contains(licence));
    }
}
