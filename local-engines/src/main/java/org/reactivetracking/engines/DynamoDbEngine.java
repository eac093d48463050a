package org.reactivetracking.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
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
 * <p>
 * node runs it with {@value #HOOK}: dynalite rethrows the error of a request whose client died mid-body, which would
 * end the engine for every other client; the hook drops that one request, as DynamoDB does.
 */
public final class DynamoDbEngine implements Engine {

    /** The {@code node --require} hook that keeps dynalite serving when a client aborts a request mid-body. */
    static final String HOOK = "survive-aborted-requests.js";

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
        Path hook = writeHook(packageDir.getParent().getParent());
        process = ChildProcess.start(name(), List.of("node", "--require", hook.toString(),
                packageDir.resolve("cli.js").toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--path", dataDir.toString(),
                "--createTableMs", "0", "--updateTableMs", "0", "--deleteTableMs", "0"), packageDir, Map.of(),
                logFile);
        Ports.await(name() + " on port " + port, Duration.ofSeconds(60),
                () -> !process.isAlive() || Ports.isOpen(port));
        if (!process.isAlive()) {
            throw new IllegalStateException(process.exitedAtStart(logFile));
        }
    }

    /**
     * Writes {@value #HOOK} (the classpath resource, also used by the docker-compose image) into {@code dir}, unless an
     * identical copy is there: dynalite would otherwise end on the first request whose client dies mid-body. Written
     * through a temporary file and a rename, so engines of other JVMs starting at the same time never read half of it.
     */
    private static Path writeHook(Path dir) {
        Path hook = dir.resolve(HOOK);
        try (InputStream in = DynamoDbEngine.class.getResourceAsStream("/dynalite/" + HOOK)) {
            if (in == null) {
                throw new IllegalStateException("dynalite/" + HOOK + " is missing from the class path");
            }
            byte[] content = in.readAllBytes();
            if (Files.isRegularFile(hook) && Arrays.equals(Files.readAllBytes(hook), content)) {
                return hook;
            }
            Path staging = Files.createTempFile(dir, HOOK, ".tmp");
            Files.write(staging, content);
            Files.move(staging, hook, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return hook;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot write " + hook, ex);
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

    /** Where node's output goes: dynalite's errors and the hook's lines. */
    public Path logFile() {
        return logFile;
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }
}
