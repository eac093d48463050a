package org.reactivetracking.eventstore;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/**
 * The consumer on the real engines (kinesis-mock for the stream, dynalite for the tables and checkpoints),
 * started once per JVM; every subclass shares one application context. Write cycles are small here
 * ({@value #MAX_EVENTS_PER_CYCLE} events), so the tests cross cycle and checkpoint boundaries.
 */
@SpringBootTest
abstract class EngineBackedTests {

    static final String STREAM = "tracking-events";
    static final String SHARD = "shardId-000000000000";
    static final int MAX_EVENTS_PER_CYCLE = 100;
    static final Duration EVENT_RETENTION = Duration.ofDays(400);
    static final LocalEngines engines = LocalEngines.shared();

    @Autowired
    EventWriter writer;

    @DynamicPropertySource
    static void engineProperties(DynamicPropertyRegistry registry) {
        engines.ensureStream(STREAM, 1);
        engines.springProperties().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("eventstore.create-tables", () -> "true");
        registry.add("kinesis.consumer.create-lease-table", () -> "true");
        registry.add("eventstore.max-events-per-cycle", () -> MAX_EVENTS_PER_CYCLE);
        registry.add("eventstore.event-retention", () -> EVENT_RETENTION.toString());
    }

    static TrackingEvent event(String programId) {
        return new TrackingEvent(UUID.randomUUID().toString(), new Program(programId, "n", "c", 1, "c", true), "ua",
                Instant.now(), "");
    }

    /** Puts a record on the stream's only shard; its sequence number. */
    static String put(byte[] data) {
        return engines.kinesisClient().putRecord(request -> request.streamName(STREAM).partitionKey("k")
                .data(SdkBytes.fromByteArray(data))).sequenceNumber();
    }

    EventItem awaitItem(String messageId) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> writer.events().getItem(Key.builder().partitionValue(messageId).build()),
                        item -> item != null);
    }

    EventItem item(String messageId) {
        return writer.events().getItem(Key.builder().partitionValue(messageId).build());
    }

    DeadLetterItem awaitDeadLetter(String id) {
        return await().atMost(Duration.ofSeconds(60))
                .until(() -> writer.deadLetters().getItem(Key.builder().partitionValue(id).build()),
                        item -> item != null);
    }

    /** The dead letter of a record of the stream's shard (and of one user record inside it, when given). */
    DeadLetterItem awaitDeadLetter(String sequenceNumber, Integer subSequence) {
        return awaitDeadLetter(STREAM + ":" + SHARD + ":" + sequenceNumber
                + (subSequence == null ? "" : ":" + subSequence));
    }

    List<String> eventsOfProgram(String programId) {
        return writer.events().index(EventItem.BY_PROGRAM_INDEX)
                .query(request -> request.queryConditional(QueryConditional.keyEqualTo(
                        Key.builder().partitionValue(programId).build())))
                .stream().flatMap(page -> page.items().stream()).map(EventItem::getMessageId).toList();
    }
}
