package org.reactivetracking.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

class LocalEnginesTests {

    private final LocalEngines engines = LocalEngines.shared();

    @Test
    void kinesisAcceptsARecordAndHandsItBack() {
        engines.ensureStream("engine-check", 1);
        engines.ensureStream("engine-check", 1);
        var client = engines.kinesisClient();

        client.putRecord(request -> request.streamName("engine-check").partitionKey("k")
                .data(SdkBytes.fromUtf8String("hello")));
        String iterator = client.getShardIterator(request -> request.streamName("engine-check")
                .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();

        assertThat(client.getRecords(request -> request.shardIterator(iterator)).records())
                .extracting(record -> record.data().asUtf8String()).containsExactly("hello");
    }

    @Test
    void dynamoDbKeepsItsTablesAcrossARestart() {
        var client = engines.dynamoDbClient();
        client.createTable(request -> request.tableName("engine-check")
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id")
                        .attributeType(ScalarAttributeType.S).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));

        engines.dynamoDb().stop();
        assertThat(Ports.isOpen(engines.dynamoDb().port())).isTrue();

        assertThat(client.listTables().tableNames()).contains("engine-check");
    }

    @Test
    void dynamoDbKeepsServingWhenAClientDiesMidRequest(@TempDir Path data) throws Exception {
        try (DynamoDbEngine dynamoDb = engines.dedicatedDynamoDb(data)) {
            dynamoDb.start();
            // the log file outlives a build without `clean`, and a port can come round again: count, not look for
            int dropped = drops(dynamoDb);
            String headers = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 1000\r\n\r\n";
            try (Socket socket = new Socket("127.0.0.1", dynamoDb.port())) {
                socket.getOutputStream().write((headers + "{\"Limit\":").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } // closed with 991 of the body's 1000 bytes still to come, as by a client killed mid-write

            // the marker: dynalite logs the dropped request, or (without the hook) dies of it
            Ports.await("dynalite to drop the aborted request", Duration.ofSeconds(30),
                    () -> !dynamoDb.isRunning() || drops(dynamoDb) > dropped);
            assertThat(dynamoDb.isRunning()).as("dynalite still runs; its log:%n%s", log(dynamoDb)).isTrue();
            try (DynamoDbClient client = LocalEngines.dynamoDbClient(dynamoDb.endpoint())) {
                assertThat(client.listTables().tableNames()).isEmpty();
            }
        }
    }

    private static int drops(DynamoDbEngine engine) {
        return log(engine).split("aborted its request", -1).length - 1;
    }

    private static String log(DynamoDbEngine engine) {
        try {
            return Files.readString(engine.logFile());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Test
    void saysWhichEngineRunsAtWhichVersion() {
        // Valkey where the machine has it, else Redis: the tests run on whichever it is
        System.out.println("engines: " + engines.describe());

        assertThat(engines.describe()).matches("(valkey|redis)-server [0-9]+\\.[0-9]+\\.[0-9]+ :[0-9]+,"
                + " kinesis-mock [0-9.]+ :[0-9]+, dynalite [0-9.]+ :[0-9]+");
    }

    @Test
    void redisStopsAndStartsOnTheSamePort() {
        RedisEngine redis = engines.redis();
        int port = redis.port();

        redis.stop();
        assertThat(Ports.isOpen(port)).isFalse();
        redis.start();

        assertThat(redis.isRunning()).isTrue();
        assertThat(Ports.isOpen(port)).isTrue();
    }

    @Test
    void aDedicatedRedisWithAPasswordRefusesClientsThatDoNotAuthenticate() throws Exception {
        try (RedisEngine redis = engines.dedicatedRedis("s3cret pass")) {
            // start() returned: it answered PING after AUTH with the password
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.port()).isNotEqualTo(engines.redis().port());

            assertThat(reply(redis.port(), "PING\r\n")).startsWith("-NOAUTH");
            assertThat(reply(redis.port(), "*2\r\n$4\r\nAUTH\r\n$5\r\nwrong\r\n")).startsWith("-WRONGPASS");
            assertThat(reply(engines.redis().port(), "PING\r\n")).as("the shared Redis needs no password")
                    .startsWith("+PONG");
        }
    }

    @Test
    void anEngineThatCannotStartSaysWhyInItsError(@TempDir Path logs) throws IOException {
        int port = Ports.free();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", port));
            RedisEngine redis = new RedisEngine(port, Path.of(System.getProperty("local-engines.home")),
                    logs.resolve("redis.log"));

            assertThatIllegalStateException().isThrownBy(redis::start)
                    .withMessageStartingWith("redis exited at start (exit code 1); " + logs.resolve("redis.log"))
                    .withMessageContaining("Address already in use");
        }
    }

    private static String reply(int port, String command) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
