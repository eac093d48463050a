package org.reactivetracking.eventstore;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

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

    /**
     * Which of these events the events table holds, read by their keys. Not through the program index: dynalite 4.0.0
     * keys an index entry by the index's keys and only 6 hex digits of an MD5 of the item's key, so two events of a
     * program received in the same millisecond whose ids share those digits (1 in 16.7 million per pair) keep one
     * index entry between them, while the table holds both (DynamoDB keeps both).
     */
    List<String> stored(List<String> messageIds) {
        String table = writer.events().tableName();
        List<String> stored = new ArrayList<>();
        for (int from = 0; from < messageIds.size(); from += 100) {
            List<String> chunk = messageIds.subList(from, Math.min(from + 100, messageIds.size()));
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(chunk.stream().map(id -> Map.of("messageId", AttributeValue.fromS(id))).toList())
                    .projectionExpression("messageId").build());
            Set<String> found = new HashSet<>();
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = engines.dynamoDbClient().batchGetItem(get -> get.requestItems(asked));
                response.responses().getOrDefault(table, List.of()).forEach(item -> found.add(item.get("messageId").s()));
                request = response.unprocessedKeys();
            }
            chunk.stream().filter(found::contains).forEach(stored::add);
        }
        return stored;
    }

    /**
     * The ids of a program's stored events, through the program index: on dynalite a subset of them, see
     * {@link #stored}; so a test counts stored events with {@link #stored} and uses this for what must not be there.
     */
    List<String> eventsOfProgram(String programId) {
        return writer.events().index(EventItem.BY_PROGRAM_INDEX)
                .query(request -> request.queryConditional(QueryConditional.keyEqualTo(
                        Key.builder().partitionValue(programId).build())))
                .stream().flatMap(page -> page.items().stream()).map(EventItem::getMessageId).toList();
    }
}
