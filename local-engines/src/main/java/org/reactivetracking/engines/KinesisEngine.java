package org.reactivetracking.engines;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * kinesis-mock (npm package {@code kinesis-local}, the Kinesis engine LocalStack uses), run with {@code node}.
 * <p>
 * The pinned package is installed with npm into {@code installHome} on first use ({@link NpmPackage}). It must run
 * from its package directory (it reads {@code server.json} from the working directory) and it ignores SIGTERM, so it
 * is always killed.
 * It keeps its streams in memory: a stop loses them, as a real outage of a single node would not; callers re-create
 * their streams after a restart.
 */
public final class KinesisEngine implements Engine {

    private final int port;
    private final Path installHome;
    private final String version;
    private final Path logFile;
    private final String region;
    private ChildProcess process;

    public KinesisEngine(int port, Path installHome, String version, Path logFile, String region) {
        this.port = port;
        this.installHome = installHome;
        this.version = version;
        this.logFile = logFile;
        this.region = region;
    }

    @Override
    public String name() {
        return "kinesis-mock";
    }

    @Override
    public String description() {
        return name() + " " + version;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        Path packageDir = new NpmPackage("kinesis-local", version, "main.js").install(installHome, logFile);
        Map<String, String> env = Map.of(
                "KINESIS_MOCK_PLAIN_PORT", String.valueOf(port),
                "KINESIS_MOCK_TLS_PORT", String.valueOf(Ports.free()),
                "AWS_REGION", region,
                "LOG_LEVEL", "WARN");
        process = ChildProcess.start(name(), List.of("node", "main.js"), packageDir, env, logFile);
        Ports.await(name() + " on port " + port, Duration.ofSeconds(60),
                () -> !process.isAlive() || Ports.isOpen(port));
        if (!process.isAlive()) {
            throw new IllegalStateException(process.exitedAtStart(logFile));
        }
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            process.kill();
            process = null;
            Ports.await(name() + " port " + port + " to close", Duration.ofSeconds(10), () -> !Ports.isOpen(port));
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }
}
