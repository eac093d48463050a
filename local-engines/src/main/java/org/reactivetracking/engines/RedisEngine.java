package org.reactivetracking.engines;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Redis-protocol server on a loopback port: the {@code valkey-server} on the PATH when there is one (Valkey, the
 * open-source continuation of Redis 7.2 and ElastiCache's default engine here), else the {@code redis-server} on the
 * PATH, else the Redis 6.2 binary that the {@code com.github.codemonstur:embedded-redis} jar carries;
 * {@link #description()} says which ran. Nothing is persisted, so a stop loses the data, as an ElastiCache node
 * replacement without a replica would.
 */
public final class RedisEngine implements Engine {

    /** What {@code redis-server --version} and {@code valkey-server --version} print the version as. */
    private static final Pattern VERSION = Pattern.compile("v=([0-9.]+)");

    private final int port;
    private final Path installHome;
    private final Path logFile;
    private final String password;
    private final boolean cluster;
    private ChildProcess process;

    /** A Redis that takes commands from anyone, as the shared test engines do. */
    public RedisEngine(int port, Path installHome, Path logFile) {
        this(port, installHome, logFile, null);
    }

    /**
     * A Redis that answers only clients that authenticated with {@code password} ({@code --requirepass}), as an
     * ElastiCache node with an AUTH token does; {@code null} for none.
     */
    public RedisEngine(int port, Path installHome, Path logFile, String password) {
        this(port, installHome, logFile, password, false);
    }

    private RedisEngine(int port, Path installHome, Path logFile, String password, boolean cluster) {
        if (password != null && password.isEmpty()) {
            throw new IllegalArgumentException("a Redis password must not be empty (null for none)");
        }
        this.port = port;
        this.installHome = installHome;
        this.logFile = logFile;
        this.password = password;
        this.cluster = cluster;
    }

    /**
     * A Redis Cluster of one node that serves every slot, as a cluster-mode ElastiCache does for a client: it refuses a
     * command or script whose keys are in different slots ({@code CROSSSLOT}), even though one node holds them all.
     */
    public static RedisEngine singleNodeCluster(int port, Path installHome, Path logFile) {
        return new RedisEngine(port, installHome, logFile, null, true);
    }

    @Override
    public String name() {
        return "redis";
    }

    /** The server that runs, with its version: {@code valkey-server 8.0.2}, {@code redis-server 7.0.15}. */
    @Override
    public String description() {
        Path binary = binary();
        String version = "";
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher v = VERSION.matcher(printed);
            version = v.find() ? " " + v.group(1) : "";
        }
        catch (IOException ex) {
            // the name alone
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        String file = binary.getFileName().toString();
        return (file.startsWith("valkey") ? "valkey-server" : "redis-server") + version;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public URI endpoint() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        if (cluster) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file",
                    logFile.toAbsolutePath().resolveSibling("nodes-" + port + ".conf").toString()));
        }
        process = ChildProcess.start(name(), command, installHome, Map.of(), logFile);
        Ports.await(name() + " on port " + port, Duration.ofSeconds(20), () -> !process.isAlive() || answersPing());
        if (!process.isAlive()) {
            throw new IllegalStateException(process.exitedAtStart(logFile));
        }
        if (cluster) {
            serveEverySlot();
        }
    }

    /** Assigns all 16,384 slots to this node and waits until the cluster reports itself ok. */
    private void serveEverySlot() {
        StringBuilder addSlots = new StringBuilder("*" + (2 + 16384) + "\r\n$7\r\nCLUSTER\r\n$8\r\nADDSLOTS\r\n");
        for (int slot = 0; slot < 16384; slot++) {
            String value = String.valueOf(slot);
            addSlots.append('$').append(value.length()).append("\r\n").append(value).append("\r\n");
        }
        if (!reply(addSlots.toString(), 5).equals("+OK\r\n")) {
            throw new IllegalStateException("redis did not take the cluster slots; see " + logFile);
        }
        Ports.await(name() + " cluster state ok", Duration.ofSeconds(20),
                () -> reply("*2\r\n$7\r\nCLUSTER\r\n$4\r\nINFO\r\n", 64).contains("cluster_state:ok"));
    }

    /** Sends a request and returns the first {@code bytes} bytes of the reply (fewer if the reply is shorter). */
    private String reply(String request, int bytes) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[bytes];
            int read = socket.getInputStream().read(buffer);
            return read <= 0 ? "" : new String(buffer, 0, read, StandardCharsets.US_ASCII);
        }
        catch (IOException ex) {
            return "";
        }
    }

    @Override
    public synchronized void stop() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    private boolean answersPing() {
        // a Redis with a password answers PING only after AUTH (with -NOAUTH before)
        String request = password == null ? "PING\r\n" : "*2\r\n$4\r\nAUTH\r\n$"
                + password.getBytes(StandardCharsets.UTF_8).length + "\r\n" + password + "\r\nPING\r\n";
        String expected = password == null ? "+PONG\r\n" : "+OK\r\n+PONG\r\n";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            byte[] reply = socket.getInputStream().readNBytes(expected.length());
            return new String(reply, StandardCharsets.US_ASCII).equals(expected);
        }
        catch (IOException ex) {
            return false;
        }
    }

    private Path binary() {
        for (String server : List.of("valkey-server", "redis-server")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, server);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return bundledBinary();
    }

    /** Copies the embedded-redis jar's Linux binary for this architecture out once. */
    private Path bundledBinary() {
        String arch = System.getProperty("os.arch");
        String resource = Stream.of("aarch64", "arm64").anyMatch(arch::equals) ? "redis-server-6.2.7-linux-arm64"
                : "redis-server-6.2.6-v5-linux-amd64";
        Path target = installHome.resolve(resource);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = RedisEngine.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no redis-server on the PATH and no " + resource
                        + " in the embedded-redis jar; install redis-server");
            }
            Files.createDirectories(installHome);
            Path staging = Files.createTempFile(installHome, "redis-server", ".tmp");
            Files.copy(in, staging, StandardCopyOption.REPLACE_EXISTING);
            staging.toFile().setExecutable(true);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot copy " + resource + " to " + installHome, ex);
        }
    }
}
