package org.reactivetracking.system;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs command-line tools from the repository root: the ones that validate deploy artifacts (the AWS CLI,
 * docker-compose) and the health-check commands of the images and task definitions.
 */
final class Tools {

    /** @param exitCode the tool's exit code, or -1 when it was killed for running past its time limit */
    record Result(int exitCode, String output) {
    }

    private Tools() {
    }

    static boolean onPath(String tool) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, tool)));
    }

    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Result result = run(command, env, Duration.ofMinutes(2));
        if (result.exitCode() == -1) {
            throw new IllegalStateException(command + " did not finish: " + result.output());
        }
        return result;
    }

    /**
     * Runs {@code command} with {@code env} added to this JVM's environment; its output and errors together. A
     * command still running after {@code timeout} is killed, with whatever it started, and fails with exit code -1,
     * as Docker and ECS count a health check that runs past its timeout.
     */
    static Result run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        // a file rather than a pipe: a tool that prints much cannot block, and the time limit holds while it prints
        Path output = Files.createTempFile("tool-", ".out");
        try {
            Process process = builder(command, env).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            return finished ? new Result(process.exitValue(), printed)
                    : new Result(-1, printed + "\n(killed after " + timeout + ")");
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    /** What {@code command} prints on stdout; fails with its errors when it exits other than 0. */
    static String stdout(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("tool-", ".err");
        try {
            Process process = builder(command, env).redirectError(errors.toFile()).start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " failed: " + Files.readString(errors));
            }
            return printed;
        }
        finally {
            Files.deleteIfExists(errors);
        }
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(new File("/dev/null"))
                .directory(Path.of(System.getProperty("service-jars.dir")).toFile());
        builder.environment().putAll(env);
        return builder;
    }
}
