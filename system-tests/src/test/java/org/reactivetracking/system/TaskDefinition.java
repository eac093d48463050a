package org.reactivetracking.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivetracking.engines.LocalEngines;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The service container of one ECS task definition in deploy/task-definitions, read as ECS reads it. */
final class TaskDefinition {

    /**
     * Test values for the placeholders the deploy guide fills in with envsubst; the region is the engines'
     * (kinesis-mock keeps streams per region).
     */
    static final Map<String, String> TEST_PLACEHOLDERS = Map.of("ACCOUNT_ID", "123456789012",
            "REGION", LocalEngines.REGION, "ENVIRONMENT", "deploy-run", "IMAGE_TAG", "deploy-run",
            "REDIS_PRIMARY_ENDPOINT", "master.reactive-tracking.example.invalid");
    /** Test values for what ECS reads from Secrets Manager. */
    static final Map<String, String> TEST_SECRETS = Map.of("TRACKING_ADMIN_API_KEY", "deploy-run-admin-key",
            "SPRING_DATA_REDIS_PASSWORD", "deploy-run-redis-auth-token");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
    private static final Pattern LOCAL_URL_PORT = Pattern.compile("//(?:localhost|127\\.0\\.0\\.1):(\\d+)/");

    private final Path file;
    private final JsonNode container;

    private TaskDefinition(Path file, JsonNode container) {
        this.file = file;
        this.container = container;
    }

    /** The first container of the task definition in {@code file}: the service's, beside its sidecars. */
    static TaskDefinition load(Path file) {
        return new TaskDefinition(file, JsonMapper.shared().readTree(file.toFile()).get("containerDefinitions").get(0));
    }

    Path file() {
        return file;
    }

    String service() {
        return container.get("name").stringValue();
    }

    List<Integer> containerPorts() {
        List<Integer> ports = new ArrayList<>();
        container.path("portMappings").forEach(mapping -> ports.add(mapping.get("containerPort").intValue()));
        return ports;
    }

    /**
     * The container's environment as ECS builds it: the image's {@code ENV}, then the task's {@code environment}
     * with its {@code ${...}} placeholders replaced (as the deploy guide's {@code envsubst} does), then every
     * {@code secrets} entry. Fails naming a placeholder or secret that has no value.
     */
    Map<String, String> environment(Map<String, String> imageEnv, Map<String, String> placeholders,
            Map<String, String> secrets) {
        Map<String, String> env = new LinkedHashMap<>(imageEnv);
        for (JsonNode variable : container.path("environment")) {
            env.put(variable.get("name").stringValue(), substitute(variable.get("value").stringValue(), placeholders));
        }
        for (JsonNode secret : container.path("secrets")) {
            String name = secret.get("name").stringValue();
            if (!secrets.containsKey(name)) {
                throw new IllegalArgumentException(file + " takes the secret " + name + ", which has no test value");
            }
            env.put(name, secrets.get(name));
        }
        return env;
    }

    /** The health-check command as ECS runs it: {@code CMD-SHELL x} through {@code sh -c x}, {@code CMD} as is. */
    List<String> healthCheckCommand() {
        List<String> command = new ArrayList<>();
        container.get("healthCheck").get("command").forEach(part -> command.add(part.stringValue()));
        return switch (command.get(0)) {
            case "CMD-SHELL" -> List.of("sh", "-c", String.join(" ", command.subList(1, command.size())));
            case "CMD" -> command.subList(1, command.size());
            default -> throw new IllegalArgumentException(file + ": health check neither CMD nor CMD-SHELL");
        };
    }

    /** The port of the local URL the health check calls, or -1 when it calls none. */
    int healthCheckPort() {
        Matcher url = LOCAL_URL_PORT.matcher(String.join(" ", healthCheckCommand()));
        return url.find() ? Integer.parseInt(url.group(1)) : -1;
    }

    /** How long ECS lets the container get healthy: the start period, then {@code retries} failed checks. */
    Duration healthCheckBound() {
        JsonNode check = container.get("healthCheck");
        // ECS's defaults: 30 s interval, 3 retries, no start period
        return Duration.ofSeconds(check.path("startPeriod").asInt(0)
                + (long) check.path("interval").asInt(30) * check.path("retries").asInt(3));
    }

    /** How long one health check may run before ECS counts it failed. */
    Duration healthCheckTimeout() {
        return Duration.ofSeconds(container.get("healthCheck").path("timeout").asInt(5));
    }

    private String substitute(String value, Map<String, String> placeholders) {
        Matcher placeholder = PLACEHOLDER.matcher(value);
        StringBuilder substituted = new StringBuilder();
        while (placeholder.find()) {
            String replacement = placeholders.get(placeholder.group(1));
            if (replacement == null) {
                throw new IllegalArgumentException(file + " uses ${" + placeholder.group(1) + "}, which has no value");
            }
            placeholder.appendReplacement(substituted, Matcher.quoteReplacement(replacement));
        }
        return placeholder.appendTail(substituted).toString();
    }
}
