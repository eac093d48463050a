package org.reactivetracking.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the repository's Dockerfile gives a running container, read from its final stage: the variables its
 * {@code ENV} lines set, its {@code ENTRYPOINT} and its {@code HEALTHCHECK}.
 */
final class DockerImage {

    /** {@code KEY=value} or {@code KEY="value with \" escapes"}. */
    private static final Pattern ASSIGNMENT =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S*)");
    private static final Pattern OPTION = Pattern.compile("--([a-z-]+)=(\\S+)\\s+");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /**
     * The image's health check as Docker runs it.
     *
     * @param command     the command, a shell form run through {@code sh -c} as Docker does
     * @param startPeriod how long failures do not count after the start
     */
    record HealthCheck(List<String> command, Duration interval, Duration timeout, Duration startPeriod,
            int retries) {

        /** How long Docker lets a container get healthy: the start period, then {@code retries} failed checks. */
        Duration bound() {
            return startPeriod.plus(interval.multipliedBy(retries));
        }
    }

    private final Map<String, String> env = new LinkedHashMap<>();
    private List<String> entrypoint;
    private HealthCheck healthCheck;

    private DockerImage(List<String> finalStage) {
        for (String instruction : finalStage) {
            String[] parts = instruction.split("\\s+", 2);
            String arguments = parts.length > 1 ? parts[1].trim() : "";
            switch (parts[0].toUpperCase(Locale.ROOT)) {
                case "ENV" -> env.putAll(assignments(arguments));
                case "ENTRYPOINT" -> entrypoint = execForm(arguments);
                case "HEALTHCHECK" -> healthCheck = healthCheck(arguments);
                default -> {
                }
            }
        }
    }

    /** The Dockerfile at the repository root. */
    static DockerImage load() throws IOException {
        return parse(Files.readString(Path.of(System.getProperty("service-jars.dir"), "Dockerfile")));
    }

    static DockerImage parse(String dockerfile) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            if (line.trim().startsWith("#")) {
                continue;
            }
            boolean continued = line.endsWith("\\");
            current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continued) {
                if (!current.toString().isBlank()) {
                    instructions.add(current.toString().trim());
                }
                current.setLength(0);
            }
        }
        int lastFrom = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).toUpperCase(Locale.ROOT).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        return new DockerImage(instructions.subList(lastFrom, instructions.size()));
    }

    /** The variables the final stage's {@code ENV} lines set, in order. */
    Map<String, String> env() {
        return Collections.unmodifiableMap(env);
    }

    List<String> entrypoint() {
        return entrypoint;
    }

    HealthCheck healthCheck() {
        return healthCheck;
    }

    private static Map<String, String> assignments(String arguments) {
        Map<String, String> assigned = new LinkedHashMap<>();
        Matcher matcher = ASSIGNMENT.matcher(arguments);
        int end = 0;
        while (matcher.find() && arguments.substring(end, matcher.start()).isBlank()) {
            assigned.put(matcher.group(1), matcher.group(3) != null ? matcher.group(3).replaceAll("\\\\(.)", "$1")
                    : matcher.group(2));
            end = matcher.end();
        }
        if (!arguments.substring(end).isBlank()) {
            throw new IllegalArgumentException("ENV " + arguments + ": only the KEY=value form is read here");
        }
        return assigned;
    }

    private static List<String> execForm(String arguments) {
        if (!arguments.startsWith("[")) {
            throw new IllegalArgumentException(arguments + ": only the exec form [\"...\"] is read here");
        }
        return JsonMapper.shared().readValue(arguments, new TypeReference<List<String>>() {
        });
    }

    private static HealthCheck healthCheck(String arguments) {
        // Docker's defaults
        Map<String, Duration> durations = new LinkedHashMap<>(Map.of("interval", Duration.ofSeconds(30), "timeout",
                Duration.ofSeconds(30), "start-period", Duration.ZERO));
        int retries = 3;
        Matcher option = OPTION.matcher(arguments);
        int end = 0;
        while (option.find(end) && option.start() == end) {
            if (option.group(1).equals("retries")) {
                retries = Integer.parseInt(option.group(2));
            }
            else {
                durations.put(option.group(1), duration(option.group(2)));
            }
            end = option.end();
        }
        String command = arguments.substring(end);
        if (!command.startsWith("CMD ")) {
            throw new IllegalArgumentException("HEALTHCHECK " + arguments + ": expected CMD after the options");
        }
        command = command.substring("CMD ".length()).trim();
        List<String> run = command.startsWith("[") ? execForm(command) : List.of("sh", "-c", command);
        return new HealthCheck(run, durations.get("interval"), durations.get("timeout"),
                durations.get("start-period"), retries);
    }

    /** A Docker duration such as {@code 90s}, {@code 1m30s} or {@code 500ms}. */
    private static Duration duration(String text) {
        Duration total = Duration.ZERO;
        Matcher part = DURATION.matcher(text);
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = part.end();
        }
        if (end != text.length() || end == 0) {
            throw new IllegalArgumentException("not a Docker duration: " + text);
        }
        return total;
    }
}
