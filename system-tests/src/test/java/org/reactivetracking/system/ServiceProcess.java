package org.reactivetracking.system;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivetracking.engines.ChildProcess;
import org.reactivetracking.engines.Ports;

/** One of the three services, run from its packaged jar as its own process, the way it runs in a container. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Pattern COUNT = Pattern.compile("\"statistic\":\"COUNT\",\"value\":([0-9.eE+-]+)");

    /**
     * For the tests that run several services at once on a small machine: a small heap, a quick start; on the bean
     * definitions Spring's AOT processing generated at build time, as the image's {@code ENTRYPOINT} runs them.
     */
    private static final List<String> TEST_ENTRYPOINT = List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1",
            "-Dspring.aot.enabled=true", "-jar", "app.jar");

    private final String name;
    private final String label;
    private final List<String> entrypoint;
    private final Map<String, String> env;
    private final boolean isolated;
    private final Path javaHome;
    private final Path imageDir;
    private final int port;
    private ChildProcess process;
    /** Where this launch's lines begin in the log, which earlier launches with the same label appended to. */
    private long logStart;

    /** The service on a free port, with {@code env} added to this JVM's environment. */
    ServiceProcess(String name, Map<String, String> env) {
        this(name, name, env);
    }

    /**
     * One of several instances of a service: like {@link #ServiceProcess(String, Map)}, logging to
     * {@code target/services/<label>.log}.
     */
    ServiceProcess(String name, String label, Map<String, String> env) {
        this(name, label, TEST_ENTRYPOINT, withPort(env, Ports.free()), false, Path.of(System.getProperty("java.home")),
                null);
    }

    private ServiceProcess(String name, String label, List<String> entrypoint, Map<String, String> env,
            boolean isolated, Path javaHome, Path imageDir) {
        this.name = name;
        this.javaHome = javaHome;
        this.imageDir = imageDir;
        this.label = label;
        this.entrypoint = List.copyOf(entrypoint);
        this.env = Map.copyOf(env);
        this.isolated = isolated;
        this.port = Integer.parseInt(env.get("PORT"));
    }

    /**
     * The service as its image runs it: the image's {@code entrypoint}, its {@code java} the one of {@code javaHome}
     * (a JDK of the image's version, {@link ImageJdk}) and its jar the packaged one, with {@code env} as its whole
     * environment (as in a container), so it binds {@code env}'s {@code PORT}. The files the image's build adds
     * beside the jar (the AOT cache) are not here: the JVM says so on its first lines and starts without them. It
     * logs to {@code target/services/<label>.log}.
     */
    static ServiceProcess asImage(String name, String label, List<String> entrypoint, Map<String, String> env,
            Path javaHome) {
        return new ServiceProcess(name, label, entrypoint, env, true, javaHome, null);
    }

    /**
     * Like {@link #asImage}, but run in {@code imageDir}, laid out as the image's working directory: {@code app.jar},
     * its {@code lib/} and what the image's build adds beside them (the AOT cache); the entrypoint's arguments are
     * taken as they are.
     */
    static ServiceProcess inImageDir(String name, String label, List<String> entrypoint, Map<String, String> env,
            Path javaHome, Path imageDir) {
        return new ServiceProcess(name, label, entrypoint, env, true, javaHome, imageDir);
    }

    private static Map<String, String> withPort(Map<String, String> env, int port) {
        Map<String, String> withPort = new HashMap<>(env);
        withPort.put("PORT", String.valueOf(port));
        return withPort;
    }

    /** Starts the service and waits until its readiness probe answers UP. */
    ServiceProcess start() {
        launch();
        return awaitReady();
    }

    /** Waits until the launched service's readiness probe answers UP. */
    ServiceProcess awaitReady() {
        awaitUntil("ready", Duration.ofMinutes(3), this::ready);
        return this;
    }

    /** Starts the service and returns at once. */
    ServiceProcess launch() {
        int jarAt = entrypoint.indexOf("-jar") + 1;
        if (!entrypoint.get(0).equals("java") || jarAt == 0 || jarAt >= entrypoint.size()) {
            throw new IllegalArgumentException("not a java -jar entrypoint: " + entrypoint);
        }
        List<String> command = new ArrayList<>(entrypoint);
        command.set(0, javaHome.resolve("bin").resolve("java").toString());
        if (imageDir == null) {
            command.set(jarAt, packagedJar(name).toString());
        }
        try {
            Files.createDirectories(log().getParent());
            logStart = Files.exists(log()) ? Files.size(log()) : 0;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        Path dir = imageDir == null ? Path.of(".") : imageDir;
        process = isolated ? ChildProcess.startIsolated(label, command, dir, env, log())
                : ChildProcess.start(label, command, dir, env, log());
        return this;
    }

    /** The service's jar as the build packaged it. */
    static Path packagedJar(String name) {
        Path jar = Path.of(System.getProperty("service-jars.dir"), name, "target",
                name + "-" + System.getProperty("service-jars.version") + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build through the package phase");
        }
        return jar;
    }

    /** Polls {@code check} until it holds; fails at once, with the end of the log, if the service exits first. */
    void awaitUntil(String what, Duration atMost, Callable<Boolean> check) {
        Callable<Boolean> unlessExited = () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(label + " exited; the end of " + log() + ":\n" + logTail());
            }
            return check.call();
        };
        await(label + ": " + what + " (log: " + log() + ")").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(unlessExited);
    }

    /** The body of a GET of {@code path}, which must answer 200. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(label + ": GET " + path + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** A counter's total over all its tags, from {@code /actuator/metrics}; 0 while it has not been created. */
    double counter(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/actuator/metrics/" + name)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return 0;
        }
        Matcher count = COUNT.matcher(response.body());
        if (response.statusCode() != 200 || !count.find()) {
            throw new IllegalStateException(label + ": no count in " + response.statusCode() + " " + response.body());
        }
        return Double.parseDouble(count.group(1));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Everything the service has logged since this launch (not what an earlier launch with the same label, in this
     * build or an earlier one, left in the file; other instances sharing the label may add theirs).
     */
    String logText() {
        try {
            byte[] log = Files.readAllBytes(log());
            int from = (int) Math.min(logStart, log.length);
            return new String(log, from, log.length - from, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot read " + log(), ex);
        }
    }

    private Path log() {
        return Path.of("target", "services", label + ".log");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        }
        catch (IOException ex) {
            return "(unreadable: " + ex + ")";
        }
    }

    /** Kills the service at once (SIGKILL), as a crash or an out-of-memory kill would. */
    void kill() {
        process.kill();
        process = null;
    }

    /** Stops the service as ECS does: SIGTERM, then SIGKILL after the grace period. */
    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
        }
    }
}
