package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docker-compose.yml, checked by docker-compose itself (no Docker engine needed for {@code config}). */
class ComposeFileTests {

    private static final List<String> CONFIG = List.of("docker-compose", "-f", "docker-compose.yml", "config");
    /** An empty value: docker-compose takes it for unset ({@code ${X:-default}}), whatever this JVM inherited. */
    private static final Map<String, String> NO_ADMIN_KEY = Map.of("TRACKING_ADMIN_API_KEY", "");

    @BeforeEach
    void needsDockerCompose() {
        assumeTrue(Tools.onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
    }

    @Test
    void isValidWithTheAdminKeyFromTheEnvironment() throws Exception {
        Tools.Result result = Tools.run(CONFIG, Map.of("TRACKING_ADMIN_API_KEY", "compose-test-key"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("condition: service_healthy").contains("mem_limit")
                .contains("compose-test-key");
    }

    /** A bare {@code docker compose up}: no .env, no key in the environment. */
    @Test
    void givesTheDevelopmentKeyWhenNoneIsSet() throws Exception {
        ComposeFile compose = ComposeFile.resolve(NO_ADMIN_KEY);

        String key = compose.environment("tracking-service").get("TRACKING_ADMIN_API_KEY");
        assertThat(key).isNotBlank().contains("development");
        // that the service knows it for the development key (and warns) is shown by DeployRunTests
    }

    @Test
    void aKeyFromTheEnvironmentWinsOverTheDevelopmentKey() throws Exception {
        String development = ComposeFile.resolve(NO_ADMIN_KEY).environment("tracking-service")
                .get("TRACKING_ADMIN_API_KEY");

        String resolved = ComposeFile.resolve(Map.of("TRACKING_ADMIN_API_KEY", "a-real-key-from-the-environment"))
                .environment("tracking-service").get("TRACKING_ADMIN_API_KEY");

        assertThat(resolved).isEqualTo("a-real-key-from-the-environment").isNotEqualTo(development);
    }

    /** The engines of docker-compose.yml are the open-source ones the build runs, at the versions it pins. */
    @Test
    void runsTheEnginesOfTheBuildAtTheirPinnedVersions() throws Exception {
        ComposeFile compose = ComposeFile.resolve(NO_ADMIN_KEY);
        String dynalite = System.getProperty("dynalite.version");
        String dockerfile = Files.readString(Path.of(System.getProperty("service-jars.dir"),
                "local-engines", "dynalite", "Dockerfile"));

        assertThat(compose.buildArgs("dynamodb")).containsEntry("DYNALITE_VERSION", dynalite);
        assertThat(compose.image("dynamodb")).endsWith(":" + dynalite);
        assertThat(dockerfile).contains("ARG DYNALITE_VERSION=" + dynalite);
        assertThat(compose.image("kinesis")).endsWith("/kinesis-mock:" + System.getProperty("kinesis-local.version"));
        assertThat(Files.readString(Path.of(System.getProperty("service-jars.dir"), "docker-compose.yml")))
                .doesNotContainIgnoringCase("dynamodb-local").doesNotContainIgnoringCase("DynamoDBLocal");
    }

    @Test
    void pinsEveryImageAndCommitsNoSecrets() throws Exception {
        String compose = Files.readString(Path.of(System.getProperty("service-jars.dir"), "docker-compose.yml"));

        assertThat(compose.lines().filter(line -> line.trim().startsWith("image:")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).matches(".*:[0-9][^:]*$"));
        assertThat(Path.of(System.getProperty("service-jars.dir"), ".env.example")).exists();
    }
}
