package org.reactivetracking.system;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reactivetracking.engines.ChildProcess;
import org.reactivetracking.engines.Ports;

/** One of the three services, run from its packaged jar as its own process, the way it runs in a container. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final int port = Ports.free();
    private final Map<String, String> env;
    private ChildProcess process;

    ServiceProcess(String name, Map<String, String> env) {
        this.name = name;
        this.env = new HashMap<>(env);
        this.env.put("PORT", String.valueOf(port));
    }

    /** Starts the service and waits until its readiness probe answers UP. */
    ServiceProcess start() {
        Path jar = Path.of(System.getProperty("service-jars.dir"), name, "target",
                name + "-" + System.getProperty("service-jars.version") + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the build through the package phase");
        }
        Path logs = Path.of("target", "services");
        try {
            Files.createDirectories(logs);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        process = ChildProcess.start(name, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()), Path.of("."), env,
                logs.resolve(name + ".log"));
        await(name + " ready").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited; see target/services/" + name + ".log");
                    }
                    return ready();
                });
        return this;
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
