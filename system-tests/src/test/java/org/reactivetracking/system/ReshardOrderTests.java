package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * How the binder reads a resharded stream: it does not wait for a parent shard to be drained before reading its
 * children. A stream of one shard holding 3,000 events (one to a record) is split in two before any consumer runs, and
 * 100 more events go to the children; then one kinesis-consumer starts. It lists the three shards and takes them all,
 * reading them in turns of at most 1,000 records (records-limit), so each child's first events are stored while its
 * parent still has records unread. Whatever the order, every event is stored once (items are keyed by message id) and
 * every shard's checkpoint ends at its end.
 */
class ReshardOrderTests {

    private static final String STREAM = "reshard-order";
    private static final LocalEngines engines = LocalEngines.shared();
    private final EventTable events = new EventTable(engines.dynamoDbClient(), "reshard-order-events");
    private final BinderTables binder = new BinderTables(engines.dynamoDbClient(), "reshard-order-checkpoints",
            "reshard-order-locks", "reshard-order", STREAM);

    @Test
    void readsChildShardsBeforeTheirParentIsDrainedAndStoresEveryEventOnce() {
        engines.ensureStream(STREAM, 1);
        Set<String> put = new HashSet<>(putEvents(3_000));
        StreamShards.reshard(engines.kinesisClient(), STREAM, 2);
        put.addAll(putEvents(100));
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.putAll(Map.of("EVENT_STREAM", STREAM, "CONSUMER_GROUP", "reshard-order",
                "CHECKPOINT_TABLE", "reshard-order-checkpoints", "LOCKS_TABLE", "reshard-order-locks",
                "EVENTSTORE_EVENTS_TABLE", "reshard-order-events",
                "EVENTSTORE_DEAD_LETTER_TABLE", "reshard-order-dead-letters", "EVENTSTORE_CREATE_TABLES", "true"));

        try (ServiceProcess consumer = new ServiceProcess("kinesis-consumer", "reshard-order-consumer", env).start()) {
            consumer.awaitUntil("3,100 events stored", Duration.ofMinutes(3), () -> events.count() >= put.size());

            var items = events.items();
            assertThat(items.keySet()).as("stored message ids").isEqualTo(put);
            Map<String, StreamShards.Shard> shards = StreamShards.read(engines.kinesisClient(), STREAM);
            List<StreamShards.Shard> children = shards.values().stream().filter(shard -> shard.parentId() != null)
                    .toList();
            assertThat(children).hasSize(2).allSatisfy(child -> assertThat(child.events()).isPositive());
            ShardTimeline timeline = new ShardTimeline(items.values());
            System.out.println(timeline.childrenAfterParents(shards.values()));
            assertThat(children).allSatisfy(child -> assertThat(timeline.firstStored(child.id()))
                    .as("first event of %s stored before the last of its parent %s", child.id(), child.parentId())
                    .isLessThan(timeline.lastStored(child.parentId())));
            await("every shard's checkpoint at its end").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(binder.checkpoints())
                            .isEqualTo(shards.values().stream().collect(Collectors.toMap(StreamShards.Shard::id,
                                    StreamShards.Shard::checkpointAtEnd))));
        }
    }

    /** Puts {@code count} events, one to a record, under their message ids; returns the ids. */
    private static List<String> putEvents(int count) {
        List<String> ids = new ArrayList<>();
        List<PutRecordsRequestEntry> call = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TrackingEvent event = new TrackingEvent(UUID.randomUUID().toString(),
                    new Program("order-" + (i % 10), "Order test", "o", 1, "ACME", true), "reshard-order",
                    Instant.now(), "");
            ids.add(event.messageId());
            call.add(PutRecordsRequestEntry.builder().partitionKey(event.messageId())
                    .data(SdkBytes.fromByteArray(TrackingEventCodec.encode(event))).build());
            if (call.size() == 500 || i == count - 1) {
                List<PutRecordsRequestEntry> entries = List.copyOf(call);
                assertThat(engines.kinesisClient().putRecords(request -> request.streamName(STREAM).records(entries))
                        .failedRecordCount()).isZero();
                call.clear();
            }
        }
        return ids;
    }
}
