package org.reactivetracking.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * dynalite (npm package {@code dynalite}, Apache-2.0): the DynamoDB API, with DynamoDB's own validation, on LevelDB,
 * run with {@code node} on a loopback port. The pinned package is installed with npm into {@code installHome} on first
 * use ({@link NpmPackage}).
 * <p>
 * Its tables live in a LevelDB folder under {@code dataDir}, not in memory: the outage tests stop the engine and start
 * it again on the same port, and the tables and items written before must still be there, as in a real outage of the
 * service. LevelDB's log makes every write durable in the folder before it is answered, so even a stop by SIGKILL
 * keeps them.
 * <p>
 * New tables, index changes and deletions take effect at once ({@code --createTableMs 0} and the like), where AWS takes
 * seconds in {@code CREATING} / {@code UPDATING}: callers still wait for {@code ACTIVE}, as they must on AWS, and
 * only the waiting is short.
 */
public final class DynamoDbEngine implements Engine {

    private final int port;
    private final Path installHome;
    private final String version;
    private final Path dataDir;
    private final Path logFile;
    private ChildProcess process;

    public DynamoDbEngine(int port, Path installHome, String version, Path dataDir, Path logFile) {
        this.port = port;
        this.installHome = installHome;
        this.version = version;
        this.dataDir = dataDir;
        this.logFile = logFile;
    }

    @Override
    public String name() {
        return "dynalite";
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
        Path packageDir = new NpmPackage("dynalite", version, "cli.js").install(installHome, logFile);
        try {
            Files.createDirectories(dataDir);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot create " + dataDir, ex);
        }
        process = ChildProcess.start(name(), List.of("node", packageDir.resolve("cli.js").toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--path", dataDir.toString(),
                "--createTableMs", "0", "--updateTableMs", "0", "--deleteTableMs", "0"), packageDir, Map.of(),
                logFile);
        Ports.await(name() + " on port " + port, Duration.ofSeconds(60),
                () -> !process.isAlive() || Ports.isOpen(port));
        if (!process.isAlive()) {
            throw new IllegalStateException(name() + " exited at start; see " + logFile);
        }
    }

    /** Stops the engine at once (SIGKILL), as an outage would; its tables stay in {@code dataDir}. */
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
