package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-compose.yml, checked by docker-compose itself (no Docker engine needed for {@code config}). */
class ComposeFileTests {

    private static final List<String> CONFIG = List.of("docker-compose", "-f", "docker-compose.yml", "config");

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

    @Test
    void refusesToStartWithoutAnAdminKey(@TempDir Path dir) throws Exception {
        // an empty env file in place of a developer's .env
        Path emptyEnv = Files.createFile(dir.resolve(".env"));
        Tools.Result result = Tools.run(List.of("docker-compose", "-f", "docker-compose.yml", "--env-file",
                emptyEnv.toString(), "config", "-q"), Map.of());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("set TRACKING_ADMIN_API_KEY in .env");
    }

    @Test
    void pinsEveryImageAndCommitsNoSecrets() throws Exception {
        String compose = Files.readString(Path.of(System.getProperty("service-jars.dir"), "docker-compose.yml"));

        assertThat(compose.lines().filter(line -> line.trim().startsWith("image:")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).matches(".*:[0-9][^:]*$"));
        assertThat(Path.of(System.getProperty("service-jars.dir"), ".env.example")).exists();
    }
}
