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
 * How the KCL reads a resharded stream: a child shard only once its parent is read to its end. A kinesis-consumer
 * takes the lease of a stream of one shard and stops; the shard gets 3,000 events (one to a record), is split in two,
 * and 100 more events go to the children; then a kinesis-consumer starts again. It reads the parent, learns of the
 * children from the parent's last records, and reads a child only after the parent's lease is checkpointed at
 * SHARD_END, so every child's first event is stored after its parent's last. Every event is stored once and every
 * shard's checkpoint ends at its end.
 * <p>
 * (The lease comes first because kinesis-mock answers the KCL's first listing of a stream resharded before any lease
 * existed, {@code ListShards} with the {@code AT_TRIM_HORIZON} filter, with overlapping shards, which the KCL refuses;
 * Kinesis answers with the shards at the trim horizon.)
 */
class ReshardOrderTests {

    private static final String STREAM = "reshard-order";
    private static final LocalEngines engines = LocalEngines.shared();
    private final EventTable events = new EventTable(engines.dynamoDbClient(), "reshard-order-events");
    private final KclLeases leases = new KclLeases(engines.dynamoDbClient(), "reshard-order");

    @Test
    void readsChildShardsOnlyOnceTheirParentIsDrainedAndStoresEveryEventOnce() {
        engines.ensureStream(STREAM, 1);
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.putAll(Map.of("EVENT_STREAM", STREAM, "CONSUMER_GROUP", "reshard-order",
                "KINESIS_CONSUMER_CREATE_LEASE_TABLE", "true", "EVENTSTORE_EVENTS_TABLE", "reshard-order-events",
                "EVENTSTORE_DEAD_LETTER_TABLE", "reshard-order-dead-letters", "EVENTSTORE_CREATE_TABLES", "true"));
        try (ServiceProcess first = new ServiceProcess("kinesis-consumer", "reshard-order-first", env).start()) {
            first.awaitUntil("the shard's lease taken", Duration.ofMinutes(1),
                    () -> !leases.holders(Map.of()).isEmpty());
        }
        Set<String> put = new HashSet<>(putEvents(3_000));
        StreamShards.reshard(engines.kinesisClient(), STREAM, 2);
        put.addAll(putEvents(100));

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
                    .as("first event of %s stored after the last of its parent %s", child.id(), child.parentId())
                    .isGreaterThanOrEqualTo(timeline.lastStored(child.parentId())));
            await("every shard's checkpoint at its end").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(leases.checkpointsOf(
                            shards.values()))
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
