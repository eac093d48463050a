package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.engines.RedisEngine;

/**
 * The deploy artefacts run as they will run, not only validated. Each ECS task definition and each docker-compose
 * service starts its service from the packaged jar the way the image's {@code ENTRYPOINT} does, with the
 * environment ECS or compose builds (the image's {@code ENV}, then the definition's), on the port it maps; the
 * definition's own health check (the image's, for compose) must pass. The task definitions run on the streams and
 * tables of deploy/stack.json and on a Redis that requires the AUTH token, and each service then does one piece of
 * its work on them. The compose services run as a bare {@code docker compose up} configures them (no .env: the
 * tracking service gets the development admin key, and must warn about it). One service runs at a time.
 */
class DeployRunTests {

    private static final LocalEngines engines = LocalEngines.shared();
    private static DockerImage image;
    private static Path imageJava;
    private static RedisEngine redisWithAuth;
    private static List<String> stackStreams;
    private static List<String> stackTables;
    private static ComposeFile resolvedCompose;

    @BeforeAll
    static void createTheStackOnTheEngines() throws IOException {
        image = DockerImage.load();
        imageJava = ImageJdk.require(image.javaVersion());
        redisWithAuth = engines.dedicatedRedis(TaskDefinition.TEST_SECRETS.get("SPRING_DATA_REDIS_PASSWORD"));
        StackResources stack = new StackResources();
        stackStreams = stack.createStreams(engines);
        stackTables = stack.createTables(engines.dynamoDbClient());
    }

    @AfterAll
    static void stopTheRedis() {
        if (redisWithAuth != null) {
            redisWithAuth.close();
        }
    }

    @ParameterizedTest
    @MethodSource("org.reactivetracking.system.TaskDefinitionTests#taskDefinitions")
    void eachTaskDefinitionRunsItsServiceHealthyOnTheStack(Path file) throws Exception {
        TaskDefinition task = TaskDefinition.load(file);
        Map<String, String> env = task.environment(image.env(), TaskDefinition.TEST_PLACEHOLDERS,
                TaskDefinition.TEST_SECRETS);
        int port = Integer.parseInt(env.get("PORT"));
        assertThat(task.containerPorts()).as("%s: PORT (image ENV, then the task's environment) is mapped", file)
                .contains(port);
        assertThat(task.healthCheckPort()).as("%s: the health check calls PORT", file).isEqualTo(port);
        env.forEach((name, value) -> {
            if (name.endsWith("_STREAM")) {
                assertThat(stackStreams).as("%s: %s is a stream of the stack", file, name).contains(value);
            }
            if (name.endsWith("_TABLE")) {
                assertThat(stackTables).as("%s: %s is a table of the stack", file, name).contains(value);
            }
        });
        env.putAll(localOverrides(env));

        requireFree(port, file.toString());
        try (CloudWatchReceiver cloudWatch = new CloudWatchReceiver()) {
            // the namespace turns CloudWatch export on (decided at start: the image runs AOT-processed); the
            // registry publishes on close as well, here to the stand-in, never to AWS
            env.put("SPRING_CLOUD_AWS_CLOUDWATCH_ENDPOINT", cloudWatch.endpoint());
            try (ServiceProcess service = ServiceProcess.asImage(task.service(), task.service() + "-ecs",
                    image.entrypoint(), env, imageJava).launch()) {
                service.awaitUntil("health check " + task.healthCheckCommand(), task.healthCheckBound(),
                        () -> Tools.run(task.healthCheckCommand(), env, task.healthCheckTimeout()).exitCode() == 0);
                ServiceWork.prove(task.service(), service, env, engines);
                assertThat(service.logText()).as("%s: the image's entrypoint starts the service AOT-processed", file)
                        .contains("Starting AOT-processed");
            }
            String namespace = env.get("MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE");
            assertThat(namespace).as("%s sets the CloudWatch namespace", file).isNotBlank();
            assertThat(cloudWatch.requests()).as("%s: the service's meters, published to CloudWatch when it stopped",
                    file).anySatisfy(request -> assertThat(request).contains("PutMetricData").contains(namespace));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "tracking-service", "kinesis-consumer", "redis-updater" })
    void eachComposeServiceRunsHealthyOnTheEngines(String service) throws Exception {
        assumeTrue(Tools.onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
        ComposeFile compose = composeFile();
        // the engines stand in for the compose services of the same name, on the port each one's container listens
        Map<String, Integer> standIns = Map.of("redis:" + compose.containerPort("redis"), engines.redis().port(),
                "kinesis:" + compose.containerPort("kinesis"), engines.kinesis().port(),
                "dynamodb:" + compose.containerPort("dynamodb"), engines.dynamoDb().port());
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.putAll(compose.environmentOnLoopback(service, standIns));
        int port = Integer.parseInt(env.get("PORT"));
        assertThat(compose.containerPort(service)).as("docker-compose.yml %s: PORT is its container port", service)
                .isEqualTo(port);

        requireFree(port, "docker-compose.yml's " + service);
        DockerHealthCheck check = image.healthCheck();
        try (CloudWatchReceiver cloudWatch = new CloudWatchReceiver()) {
            // no namespace in compose: nothing may go to CloudWatch, though the image's context was built with the
            // CloudWatch registry's bean defined
            env.put("SPRING_CLOUD_AWS_CLOUDWATCH_ENDPOINT", cloudWatch.endpoint());
            try (ServiceProcess process = ServiceProcess.asImage(service, service + "-compose", image.entrypoint(),
                    env, imageJava).launch()) {
                process.awaitUntil("HEALTHCHECK " + check.command(), check.bound(),
                        () -> Tools.run(check.command(), env, check.timeout()).exitCode() == 0);
                assertThat(process.logText()).contains("Starting AOT-processed");
                if (service.equals("tracking-service")) {
                    // compose's default key is the one the service knows for the development key: it warns naming it
                    assertThat(process.logText()).as("docker-compose.yml's default TRACKING_ADMIN_API_KEY")
                            .contains("WARN").contains("published development key '"
                                    + env.get("TRACKING_ADMIN_API_KEY") + "'");
                }
            }
            assertThat(env).doesNotContainKey("MANAGEMENT_CLOUDWATCH_METRICS_EXPORT_NAMESPACE");
            // stopped: a registry would have published on close
            assertThat(cloudWatch.requests()).as("docker-compose.yml's %s sent to CloudWatch", service).isEmpty();
        }
    }

    /**
     * What the local run cannot take from a task definition, each with its reason; everything else is what ECS gives
     * the container.
     */
    private static Map<String, String> localOverrides(Map<String, String> deployed) {
        Map<String, String> overrides = new LinkedHashMap<>();
        // on AWS the SDK finds the regional endpoints; here the engines listen on loopback ports
        overrides.put("SPRING_CLOUD_AWS_KINESIS_ENDPOINT", engines.kinesis().endpoint().toString());
        overrides.put("SPRING_CLOUD_AWS_DYNAMODB_ENDPOINT", engines.dynamoDb().endpoint().toString());
        // on AWS the task role gives credentials; the engines take any static pair
        overrides.put("SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY", LocalEngines.ACCESS_KEY);
        overrides.put("SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY", LocalEngines.SECRET_KEY);
        if (deployed.containsKey("SPRING_DATA_REDIS_HOST")) {
            // the stack's ElastiCache endpoint, with TLS in transit: here the Redis with the AUTH token, on loopback
            // without TLS
            overrides.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
            overrides.put("SPRING_DATA_REDIS_PORT", String.valueOf(redisWithAuth.port()));
            overrides.put("SPRING_DATA_REDIS_SSL_ENABLED", "false");
        }
        return overrides;
    }

    /** The compose file resolved once, and the streams its Kinesis container is told to create. */
    private static synchronized ComposeFile composeFile() throws IOException, InterruptedException {
        if (resolvedCompose == null) {
            // as a bare `docker compose up` runs: no .env, no admin key set (an empty value counts as unset)
            resolvedCompose = ComposeFile.resolve(Map.of("TRACKING_ADMIN_API_KEY", ""));
            for (String stream : resolvedCompose.environment("kinesis").get("INITIALIZE_STREAMS").split(",")) {
                String[] nameAndShards = stream.split(":");
                engines.ensureStream(nameAndShards[0], Integer.parseInt(nameAndShards[1]));
            }
        }
        return resolvedCompose;
    }

    /** The service must bind the port its deployment maps: a port taken here fails the test, naming it. */
    private static void requireFree(int port, String artefact) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
        }
        catch (IOException taken) {
            fail("port " + port + ", which " + artefact + " has its service bind, is taken on this machine ("
                    + taken.getMessage() + "): stop what listens on it and run again");
        }
    }
}
