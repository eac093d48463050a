package org.reactivetracking.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code ENV} lines set, its {@code ENTRYPOINT} and its {@code HEALTHCHECK}, and the Java options its AOT cache's
 * training ({@code RUN ... train-aot-cache.sh}) runs with.
 */
final class DockerImage {

    /** {@code KEY=value} or {@code KEY="value with \" escapes"}. */
    private static final Pattern ASSIGNMENT =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S*)");

    /** {@code TRAINING_JAVA_OPTIONS="..."} in the {@code RUN} line that trains the AOT cache. */
    private static final Pattern TRAINING_OPTIONS = Pattern.compile("TRAINING_JAVA_OPTIONS=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The tag's leading number: {@code eclipse-temurin:25.0.3_9-jre-noble} is Java 25. */
    private static final Pattern JAVA_TAG = Pattern.compile(":(\\d+)(?:[._-]|$)");

    private final Map<String, String> env = new LinkedHashMap<>();
    private String baseImage;
    private List<String> entrypoint;
    private DockerHealthCheck healthCheck;
    private String trainingJavaOptions = "";

    private DockerImage(List<String> finalStage) {
        for (String instruction : finalStage) {
            String[] parts = instruction.split("\\s+", 2);
            String arguments = parts.length > 1 ? parts[1].trim() : "";
            switch (parts[0].toUpperCase(Locale.ROOT)) {
                case "FROM" -> baseImage = arguments.split("\\s+")[0];
                case "ENV" -> env.putAll(assignments(arguments));
                case "ENTRYPOINT" -> entrypoint = execForm(arguments);
                case "HEALTHCHECK" -> healthCheck = DockerHealthCheck.parse(arguments);
                case "RUN" -> {
                    Matcher training = TRAINING_OPTIONS.matcher(arguments);
                    if (arguments.contains("train-aot-cache.sh") && training.find()) {
                        trainingJavaOptions = training.group(1).trim().replaceAll("\\s+", " ");
                    }
                }
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

    /** The Java feature version of the final stage's base image (a Java image tagged by version). */
    int javaVersion() {
        Matcher matcher = JAVA_TAG.matcher(baseImage);
        if (!matcher.find()) {
            throw new IllegalArgumentException("FROM " + baseImage + ": no Java version in the tag");
        }
        return Integer.parseInt(matcher.group(1));
    }

    List<String> entrypoint() {
        return entrypoint;
    }

    DockerHealthCheck healthCheck() {
        return healthCheck;
    }

    /** The {@code TRAINING_JAVA_OPTIONS} the AOT cache's training runs with, one space apart; empty for none. */
    String trainingJavaOptions() {
        return trainingJavaOptions;
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

    static List<String> execForm(String arguments) {
        if (!arguments.startsWith("[")) {
            throw new IllegalArgumentException(arguments + ": only the exec form [\"...\"] is read here");
        }
        return JsonMapper.shared().readValue(arguments, new TypeReference<List<String>>() {
        });
    }
}
