package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The kinesis-consumer killed (SIGKILL, no graceful shutdown) while it stores events, and started again: exactly
 * 10,000 items, none lost (checkpoints follow the writes) and none doubled (items are keyed by message id). Half of the
 * events are put only after the kill, so the run is the same whatever the machine's speed.
 */
class ConsumerCrashTests {

    private static final int EVENTS = 10_000;
    private static final String STREAM = "crash-events";
    private static final String TABLE = "crash-events";
    private static final LocalEngines engines = LocalEngines.shared();

    @Test
    void storesEveryEventExactlyOnceAcrossAnAbruptKill() {
        engines.ensureStream(STREAM, 2);
        publish(EVENTS / 2);
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.putAll(Map.of("EVENT_STREAM", STREAM, "CONSUMER_GROUP", "crash-test",
                "KINESIS_CONSUMER_CREATE_LEASE_TABLE", "true",
                "EVENTSTORE_EVENTS_TABLE", TABLE, "EVENTSTORE_DEAD_LETTER_TABLE", "crash-dead-letters",
                "EVENTSTORE_CREATE_TABLES", "true"));

        ServiceProcess first = new ServiceProcess("kinesis-consumer", env).start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> count() >= 500);
        }
        finally {
            first.kill();
        }
        assertThat(count()).as("stored before the kill").isBetween(500L, (long) EVENTS / 2);
        publish(EVENTS / 2);

        try (ServiceProcess second = new ServiceProcess("kinesis-consumer", env).start()) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> count() >= EVENTS);
            assertThat(count()).isEqualTo(EVENTS);
        }
    }

    private static void publish(int count) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TrackingEvent event = new TrackingEvent(UUID.randomUUID().toString(),
                    new Program("crash-" + (i % 10), "Crash test", "c", 1, "ACME", true), "ua", Instant.now(), "");
            batch.add(PutRecordsRequestEntry.builder().partitionKey(event.messageId())
                    .data(SdkBytes.fromByteArray(TrackingEventCodec.encode(event))).build());
            if (batch.size() == 500 || i == count - 1) {
                List<PutRecordsRequestEntry> entries = List.copyOf(batch);
                var response = engines.kinesisClient().putRecords(request -> request.streamName(STREAM)
                        .records(entries));
                assertThat(response.failedRecordCount()).isZero();
                batch.clear();
            }
        }
    }

    private static long count() {
        try {
            long total = 0;
            Map<String, AttributeValue> start = null;
            do {
                var startKey = start;
                var page = engines.dynamoDbClient().scan(request -> request.tableName(TABLE).select(Select.COUNT)
                        .exclusiveStartKey(startKey));
                total += page.count();
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                        : null;
            }
            while (start != null);
            return total;
        }
        catch (ResourceNotFoundException notYetCreated) {
            return 0;
        }
    }
}
