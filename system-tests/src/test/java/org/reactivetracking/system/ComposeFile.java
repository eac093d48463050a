package org.reactivetracking.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as docker-compose itself resolves it ({@code docker-compose config}: anchors merged,
 * {@code ${...}} substituted from the environment given), read per service. Needs no Docker engine.
 */
final class ComposeFile {

    private final Map<String, Map<String, Object>> services;

    private ComposeFile(Map<String, Map<String, Object>> services) {
        this.services = services;
    }

    /**
     * Runs {@code docker-compose config} with {@code env} added to this JVM's environment and an empty env file in
     * place of a developer's {@code .env}. An empty value stands for an unset variable ({@code ${X:-default}}).
     */
    @SuppressWarnings("unchecked")
    static ComposeFile resolve(Map<String, String> env) throws IOException, InterruptedException {
        Path emptyEnvFile = Files.createTempFile("compose-", ".env");
        try {
            String resolved = Tools.stdout(List.of("docker-compose", "-f", "docker-compose.yml", "--env-file",
                    emptyEnvFile.toString(), "config"), env);
            Map<String, Object> config = new Yaml().load(resolved);
            return new ComposeFile((Map<String, Map<String, Object>>) config.get("services"));
        }
        finally {
            Files.deleteIfExists(emptyEnvFile);
        }
    }

    /** The service's {@code environment}, every value as the string the container sees. */
    Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object declared = service(service).getOrDefault("environment", Map.of());
        ((Map<?, ?>) declared).forEach((name, value) -> env.put(name.toString(), String.valueOf(value)));
        return env;
    }

    /** The service's {@code image}. */
    String image(String service) {
        return String.valueOf(service(service).get("image"));
    }

    /** The service's {@code build.args}, empty when it is not built here. */
    Map<String, String> buildArgs(String service) {
        Map<String, String> args = new LinkedHashMap<>();
        Object build = service(service).get("build");
        if (build instanceof Map<?, ?> map && map.get("args") instanceof Map<?, ?> declared) {
            declared.forEach((name, value) -> args.put(name.toString(), String.valueOf(value)));
        }
        return args;
    }

    /** The container side of the service's first {@code ports} entry. */
    int containerPort(String service) {
        Object ports = service(service).get("ports");
        if (!(ports instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("compose service " + service + " publishes no port");
        }
        return Integer.parseInt(String.valueOf(((Map<?, ?>) list.get(0)).get("target")));
    }

    /**
     * The service's environment with every address of another compose service ({@code http://host:port} in a
     * value, or a {@code X_HOST} / {@code X_PORT} pair) replaced by the loopback port of its local stand-in, keyed
     * {@code "host:port"}. Fails naming a variable that still points at a compose service nothing stands in for.
     */
    Map<String, String> environmentOnLoopback(String service, Map<String, Integer> standIns) {
        Map<String, String> env = environment(service);
        env.replaceAll((name, value) -> {
            String replaced = value;
            for (Map.Entry<String, Integer> standIn : standIns.entrySet()) {
                replaced = replaced.replace("//" + standIn.getKey(), "//127.0.0.1:" + standIn.getValue());
            }
            return replaced;
        });
        for (String name : List.copyOf(env.keySet())) {
            String portName = name.replaceAll("_HOST$", "_PORT");
            Integer standIn = standIns.get(env.get(name) + ":" + env.get(portName));
            if (name.endsWith("_HOST") && standIn != null) {
                env.put(name, "127.0.0.1");
                env.put(portName, String.valueOf(standIn));
            }
        }
        env.forEach((name, value) -> services.keySet().forEach(host -> {
            if (value.equals(host) || value.contains("//" + host + ":") || value.contains("//" + host + "/")) {
                throw new IllegalArgumentException(service + ": " + name + "=" + value + " points at the compose"
                        + " service " + host + ", which nothing stands in for here");
            }
        }));
        return env;
    }

    private Map<String, Object> service(String name) {
        Map<String, Object> service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("docker-compose.yml has no service " + name);
        }
        return service;
    }
}
