package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ECS task definitions in deploy/: valid for the AWS CLI's own parameter validation (against an unreachable
 * endpoint, so the only error allowed is the connection), and holding the properties we promise: secrets only
 * from Secrets Manager, non-root, read-only root file system, logs, the collector sidecar, metrics and traces on.
 */
class TaskDefinitionTests {

    private static final Path DIR = Path.of(System.getProperty("service-jars.dir"), "deploy", "task-definitions");

    static Stream<Path> taskDefinitions() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listed = Files.list(DIR)) {
            listed.filter(path -> path.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        assertThat(files).hasSize(3);
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("taskDefinitions")
    void passesTheAwsCliParameterValidation(Path file) throws Exception {
        assumeTrue(Tools.onPath("aws"), "the AWS CLI is not installed (.ci/run installs it)");

        Tools.Result result = Tools.run(List.of("aws", "ecs", "register-task-definition", "--region", "us-east-1",
                "--endpoint-url", "http://127.0.0.1:9", "--cli-connect-timeout", "1",
                "--cli-input-json", "file://" + file.toAbsolutePath()),
                Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "AWS_MAX_ATTEMPTS", "1",
                        "AWS_CONFIG_FILE", "/dev/null", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null"));

        assertThat(result.output()).doesNotContain("Parameter validation failed")
                .contains("Could not connect to the endpoint");
    }

    @ParameterizedTest
    @MethodSource("taskDefinitions")
    void keepsSecretsOutOfTheEnvironmentAndRunsLockedDown(Path file) throws IOException {
        JsonNode task = JsonMapper.shared().readTree(file.toFile());
        assertThat(task.get("requiresCompatibilities").get(0).stringValue()).isEqualTo("FARGATE");
        assertThat(task.get("networkMode").stringValue()).isEqualTo("awsvpc");

        for (JsonNode container : task.get("containerDefinitions")) {
            String name = container.get("name").stringValue();
            assertThat(container.get("readonlyRootFilesystem").booleanValue()).as(name).isTrue();
            assertThat(container.get("user").stringValue()).as(name).doesNotStartWith("0").isNotEqualTo("root");
            assertThat(container.get("logConfiguration").get("logDriver").stringValue()).isEqualTo("awslogs");
            for (JsonNode variable : container.path("environment")) {
                assertThat(variable.get("name").stringValue()).as(name)
                        .doesNotContainIgnoringCase("password").doesNotContainIgnoringCase("secret")
                        .doesNotContainIgnoringCase("api_key").doesNotContainIgnoringCase("token");
            }
            for (JsonNode secret : container.path("secrets")) {
                assertThat(secret.get("valueFrom").stringValue()).startsWith("arn:aws:secretsmanager:");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("taskDefinitions")
    void exportsMetricsAndTracesThroughTheCollectorSidecar(Path file) throws IOException {
        JsonNode task = JsonMapper.shared().readTree(file.toFile());
        JsonNode service = task.get("containerDefinitions").get(0);
        List<String> containers = new ArrayList<>();
        task.get("containerDefinitions").forEach(container -> containers.add(container.get("name").stringValue()));
        Map<String, String> env = new java.util.HashMap<>();
        service.get("environment").forEach(variable -> env.put(variable.get("name").stringValue(),
                variable.get("value").stringValue()));

        assertThat(containers).contains("adot-collector");
        assertThat(env).containsKey("MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE")
                .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
                        "http://localhost:4318/v1/traces")
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        // long enough to stop taking requests, finish them and flush the publisher (3 s deadline) or the batch
        assertThat(service.get("stopTimeout").intValue()).isGreaterThanOrEqualTo(30);
        assertThat(service.get("healthCheck").get("command").toString()).contains("/actuator/health/liveness");
    }

    @ParameterizedTest
    @MethodSource("taskDefinitions")
    void bindsThePortItMapsAndHealthChecks(Path file) throws IOException {
        TaskDefinition task = TaskDefinition.load(file);
        // the image's ENV, then the task's environment: what the service reads PORT from on ECS
        Map<String, String> env = task.environment(DockerImage.load().env(), TaskDefinition.TEST_PLACEHOLDERS,
                TaskDefinition.TEST_SECRETS);

        assertThat(task.containerPorts()).as(file + ": portMappings").hasSize(1);
        assertThat(env.get("PORT")).as(file + ": PORT").isEqualTo(String.valueOf(task.containerPorts().get(0)));
        assertThat(task.healthCheckPort()).as(file + ": the health check's port")
                .isEqualTo(task.containerPorts().get(0));
    }
}
