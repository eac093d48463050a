package org.reactivetracking.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The three engines this system needs, on loopback, each started on first use and stopped when the JVM exits.
 * <p>
 * {@link #shared()} gives one set per JVM on free ports, for tests. Settings, as system properties or environment
 * variables: {@code local-engines.home} / {@code LOCAL_ENGINES_HOME} (where npm packages and binaries are kept,
 * default {@code ~/.cache/reactive-tracking/engines}), {@code local-engines.logs} / {@code LOCAL_ENGINES_LOGS}
 * (engine logs, default {@code target/local-engines}), {@code local-engines.data} / {@code LOCAL_ENGINES_DATA}
 * (dynalite's LevelDB folders, default {@code /dev/shm}), {@code kinesis-local.version} / {@code KINESIS_LOCAL_VERSION}
 * (default 0.6.2) and {@code dynalite.version} / {@code DYNALITE_VERSION} (default 4.0.0): the pinned npm packages.
 */
public final class LocalEngines implements AutoCloseable {

    /** The region the engines are addressed in; kinesis-mock keys its streams by region. */
    public static final String REGION = "us-east-1";
    /** Dummy credentials: the engines accept any. */
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local";

    /** dynalite's folders: {@code dynalite-<pid of the JVM that owns it>-<random>}. */
    private static final String DATA_PREFIX = "dynalite-";

    private static LocalEngines shared;

    private final RedisEngine redis;
    private final KinesisEngine kinesis;
    private final DynamoDbEngine dynamoDb;
    private final Path home;
    private final Path logs;
    private final Path dataDir;
    private KinesisClient kinesisClient;
    private DynamoDbClient dynamoDbClient;

    public LocalEngines(int redisPort, int kinesisPort, int dynamoDbPort) {
        home = Path.of(setting("local-engines.home", "LOCAL_ENGINES_HOME",
                System.getProperty("user.home") + "/.cache/reactive-tracking/engines"));
        logs = Path.of(setting("local-engines.logs", "LOCAL_ENGINES_LOGS", "target/local-engines"));
        try {
            Files.createDirectories(logs);
            Path root = dataRoot();
            removeOrphanedData(root);
            dataDir = Files.createTempDirectory(root, DATA_PREFIX + ProcessHandle.current().pid() + "-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot create " + logs + " or dynalite's data directory", ex);
        }
        redis = new RedisEngine(redisPort, home, logs.resolve("redis.log"));
        kinesis = new KinesisEngine(kinesisPort, home, setting("kinesis-local.version", "KINESIS_LOCAL_VERSION",
                "0.6.2"), logs.resolve("kinesis-mock.log"), REGION);
        dynamoDb = new DynamoDbEngine(dynamoDbPort, home, setting("dynalite.version", "DYNALITE_VERSION", "4.0.0"),
                dataDir, logs.resolve("dynalite.log"));
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "local-engines-shutdown"));
    }

    /** One set of engines per JVM, on free ports. */
    public static synchronized LocalEngines shared() {
        if (shared == null) {
            shared = new LocalEngines(Ports.free(), Ports.free(), Ports.free());
        }
        return shared;
    }

    public RedisEngine redis() {
        redis.start();
        return redis;
    }

    public KinesisEngine kinesis() {
        kinesis.start();
        return kinesis;
    }

    public DynamoDbEngine dynamoDb() {
        dynamoDb.start();
        return dynamoDb;
    }

    /**
     * A Redis of its own on a free port, started, that answers only clients that authenticate with
     * {@code password}, as an ElastiCache node with an AUTH token does. The shared {@link #redis()} stays without
     * one. The caller stops it ({@link RedisEngine#close()}); it dies with this JVM in any case.
     */
    public RedisEngine dedicatedRedis(String password) {
        int port = Ports.free();
        RedisEngine engine = new RedisEngine(port, home, logs.resolve("redis-" + port + ".log"), password);
        engine.start();
        return engine;
    }

    /**
     * A dynalite of its own on a free port, not started, keeping its tables in {@code dataDir}: for tests that may
     * take an engine down without taking the shared one with it. The caller stops it.
     */
    DynamoDbEngine dedicatedDynamoDb(Path dataDir) {
        int port = Ports.free();
        return new DynamoDbEngine(port, home, setting("dynalite.version", "DYNALITE_VERSION", "4.0.0"), dataDir,
                logs.resolve("dynalite-" + port + ".log"));
    }

    /** A Redis Cluster of one node on its own free port, started; the caller stops it. */
    public RedisEngine dedicatedRedisCluster() {
        int port = Ports.free();
        RedisEngine engine = RedisEngine.singleNodeCluster(port, home, logs.resolve("redis-cluster-" + port + ".log"));
        engine.start();
        return engine;
    }

    public synchronized KinesisClient kinesisClient() {
        if (kinesisClient == null) {
            kinesisClient = KinesisClient.builder().endpointOverride(kinesis().endpoint()).region(Region.of(REGION))
                    .credentialsProvider(credentials()).build();
        }
        return kinesisClient;
    }

    public synchronized DynamoDbClient dynamoDbClient() {
        if (dynamoDbClient == null) {
            dynamoDbClient = dynamoDbClient(dynamoDb().endpoint());
        }
        return dynamoDbClient;
    }

    /** A DynamoDB client for the engine at {@code endpoint}, in this class's region with its dummy credentials. */
    static DynamoDbClient dynamoDbClient(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.of(REGION))
                .credentialsProvider(credentials()).build();
    }

    /**
     * The Spring Boot properties that point a service at these engines (starting them): Redis, the Kinesis and
     * DynamoDB endpoints, the region and dummy credentials.
     */
    public Map<String, String> springProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", String.valueOf(redis().port()));
        properties.put("spring.cloud.aws.kinesis.endpoint", kinesis().endpoint().toString());
        properties.put("spring.cloud.aws.dynamodb.endpoint", dynamoDb().endpoint().toString());
        properties.put("spring.cloud.aws.region.static", REGION);
        properties.put("spring.cloud.aws.credentials.access-key", ACCESS_KEY);
        properties.put("spring.cloud.aws.credentials.secret-key", SECRET_KEY);
        return properties;
    }

    /** {@link #springProperties()} as environment variables, for services started as processes. */
    public Map<String, String> springEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        springProperties().forEach((name, value) -> environment.put(
                name.replace('.', '_').replace("-", "").toUpperCase(Locale.ROOT), value));
        return environment;
    }

    /** Creates the stream unless it exists, and waits until it is ACTIVE. Idempotent. */
    public void ensureStream(String name, int shards) {
        ensureStream(kinesisClient(), name, shards);
    }

    /** {@link #ensureStream(String, int)} through any client of a Kinesis engine. */
    static void ensureStream(KinesisClient client, String name, int shards) {
        try {
            client.createStream(request -> request.streamName(name).shardCount(shards));
        }
        catch (ResourceInUseException exists) {
            // created before: fine
        }
        Ports.await("stream " + name + " to become ACTIVE", Duration.ofSeconds(30), () -> {
            try {
                return client.describeStreamSummary(request -> request.streamName(name)).streamDescriptionSummary()
                        .streamStatus() == StreamStatus.ACTIVE;
            }
            catch (ResourceNotFoundException ex) {
                return false;
            }
        });
    }

    /**
     * Where dynalite keeps its tables: {@code local-engines.data} / {@code LOCAL_ENGINES_DATA}, else {@code /dev/shm}
     * where it exists. In memory-backed files LevelDB never waits for a disk, and the files still outlive a stop and
     * start of the engine.
     */
    static Path dataRoot() throws IOException {
        String configured = setting("local-engines.data", "LOCAL_ENGINES_DATA", "");
        if (!configured.isEmpty()) {
            return Files.createDirectories(Path.of(configured));
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Which engine runs where, e.g. {@code redis :6379, kinesis-mock 0.6.2 :4567, dynalite 4.0.0 :8000}. */
    public String describe() {
        return Stream.of(redis, kinesis, dynamoDb).map(engine -> engine.description() + " :" + engine.port())
                .collect(Collectors.joining(", "));
    }

    /**
     * Deletes the folders of JVMs that are gone: one killed (SIGKILL, a crashed build) runs no shutdown hook, and its
     * tables would stay in memory-backed files for good.
     */
    private static void removeOrphanedData(Path root) throws IOException {
        try (Stream<Path> folders = Files.list(root)) {
            folders.filter(folder -> {
                String[] parts = folder.getFileName().toString().split("-");
                return folder.getFileName().toString().startsWith(DATA_PREFIX) && parts.length == 3
                        && parts[1].matches("[0-9]+") && ProcessHandle.of(Long.parseLong(parts[1])).isEmpty();
            }).forEach(LocalEngines::delete);
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException | UncheckedIOException ignored) {
            // another JVM cleaning up at the same time (the walk's stream throws the unchecked kind); a folder left
            // behind is harmless
        }
    }

    /** The dummy credentials every engine accepts. */
    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public synchronized void close() {
        if (kinesisClient != null) {
            kinesisClient.close();
            kinesisClient = null;
        }
        if (dynamoDbClient != null) {
            dynamoDbClient.close();
            dynamoDbClient = null;
        }
        Stream.of(redis, kinesis, dynamoDb).forEach(Engine::stop);
        delete(dataDir);
    }
}
