package org.reactivetracking.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kinesis-mock (npm package {@code kinesis-local}, the Kinesis engine LocalStack uses), run with {@code node}.
 * <p>
 * The package is installed with npm into {@code installHome} on first use. It must run from its package directory
 * (it reads {@code server.json} from the working directory) and it ignores SIGTERM, so it is always killed.
 * It keeps its streams in memory: a stop loses them, as a real outage of a single node would not; callers re-create
 * their streams after a restart.
 */
public final class KinesisEngine implements Engine {

    private static final Logger log = LoggerFactory.getLogger(KinesisEngine.class);

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
    public int port() {
        return port;
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        Path packageDir = install();
        Map<String, String> env = Map.of(
                "KINESIS_MOCK_PLAIN_PORT", String.valueOf(port),
                "KINESIS_MOCK_TLS_PORT", String.valueOf(Ports.free()),
                "AWS_REGION", region,
                "LOG_LEVEL", "WARN");
        process = ChildProcess.start(name(), List.of("node", "main.js"), packageDir, env, logFile);
        Ports.await(name() + " on port " + port, Duration.ofSeconds(60),
                () -> !process.isAlive() || Ports.isOpen(port));
        if (!process.isAlive()) {
            throw new IllegalStateException(name() + " exited at start; see " + logFile);
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

    /** Installs the pinned npm package once, atomically, and returns its package directory. */
    Path install() {
        Path target = installHome.resolve("kinesis-local-" + version);
        Path packageDir = target.resolve("node_modules/kinesis-local");
        if (Files.isRegularFile(packageDir.resolve("main.js"))) {
            return packageDir;
        }
        log.info("Installing kinesis-local@{} with npm into {}", version, target);
        try {
            Files.createDirectories(installHome);
            Path staging = Files.createTempDirectory(installHome, "kinesis-local-");
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--no-save",
                    "--prefix", staging.toString(), "kinesis-local@" + version)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install kinesis-local@" + version + " failed; see " + logFile);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException raced) {
                if (!Files.isRegularFile(packageDir.resolve("main.js"))) {
                    throw raced;
                }
            }
            return packageDir;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot install kinesis-local into " + installHome, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing kinesis-local", ex);
        }
    }
}
