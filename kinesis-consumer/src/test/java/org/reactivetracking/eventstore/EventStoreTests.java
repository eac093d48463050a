package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.springframework.beans.factory.annotation.Autowired;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;

/** The consumer on the real engines: what it stores, and how it rides out an outage. */
class EventStoreTests extends EngineBackedTests {

    @Autowired
    MeterRegistry meters;

    @Autowired
    TraceHeaders traces;

    @Test
    void storesEveryFieldAndFindsEventsByProgramAndTime() {
        Instant receivedAt = Instant.ofEpochMilli(1_800_000_000_000L);
        TrackingEvent event = new TrackingEvent(UUID.randomUUID().toString(),
                new Program("p-index", "Summer sale", "9b04de", 1001, "ACME", true), "pixel/1.0", receivedAt,
                "Root=1-5759e988-bd862e3fe1be46a994272793");

        put(TrackingEventCodec.encode(event));

        EventItem item = awaitItem(event.messageId());
        assertThat(item.getProgramName()).isEqualTo("Summer sale");
        assertThat(item.getChecksum()).isEqualTo("9b04de");
        assertThat(item.getCustomerId()).isEqualTo(1001);
        assertThat(item.getCustomerName()).isEqualTo("ACME");
        assertThat(item.isValid()).isTrue();
        assertThat(item.getUserAgent()).isEqualTo("pixel/1.0");
        assertThat(item.getReceivedAt()).isEqualTo(receivedAt.toEpochMilli());
        assertThat(item.getTraceHeader()).isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793");
        assertThat(item.getSequenceNumber()).isNotBlank();
        assertThat(item.getExpiresAt()).isEqualTo(receivedAt.getEpochSecond() + EVENT_RETENTION.toSeconds());
        var found = writer.events().index(EventItem.BY_PROGRAM_INDEX).query(request -> request.queryConditional(
                QueryConditional.sortBetween(Key.builder().partitionValue("p-index").sortValue(receivedAt
                        .toEpochMilli() - 1000).build(), Key.builder().partitionValue("p-index")
                        .sortValue(receivedAt.toEpochMilli() + 1000).build())));
        assertThat(found.stream().flatMap(page -> page.items().stream()).map(EventItem::getMessageId))
                .containsExactly(event.messageId());
    }

    @Test
    void storesRecordsOfOlderProducersWithFieldsOneToEightOnly() {
        String messageId = UUID.randomUUID().toString();
        byte[] legacy = org.reactivetracking.model.wire.TrackingEvent.newBuilder().setProgramid("212313")
                .setChecksum("8a1f").setCustomerId(42).setUserAgent("Mozilla").setProgramName("Legacy")
                .setCustomerName("ACME").setIsValid(true).setMessageId(messageId).build().toByteArray();

        put(legacy);

        EventItem item = awaitItem(messageId);
        assertThat(item.getProgramName()).isEqualTo("Legacy");
        assertThat(item.isReceivedAtEstimated()).isTrue();
        assertThat(item.getReceivedAt()).isPositive();
    }

    @Test
    void storesARedeliveredRecordOnce() {
        TrackingEvent event = event("p-twice");
        byte[] bytes = TrackingEventCodec.encode(event);

        put(bytes);
        put(bytes);
        TrackingEvent after = event("p-twice");
        put(TrackingEventCodec.encode(after));

        awaitItem(after.messageId());
        assertThat(eventsOfProgram("p-twice")).containsExactlyInAnyOrder(event.messageId(), after.messageId());
    }

    @Test
    void deadLettersAGarbageRecordAndStoresTheValidOnesAroundIt() {
        TrackingEvent before = event("p-poison");
        TrackingEvent after = event("p-poison");
        byte[] garbage = { (byte) 0xff, 0x13, 0x37, 0x00 };

        put(TrackingEventCodec.encode(before));
        String garbageSequence = put(garbage);
        put(TrackingEventCodec.encode(after));

        awaitItem(before.messageId());
        awaitItem(after.messageId());
        DeadLetterItem deadLetter = awaitDeadLetter(STREAM + ":shardId-000000000000:" + garbageSequence);
        assertThat(deadLetter.getData().asByteArray()).isEqualTo(garbage);
        assertThat(deadLetter.getError()).contains("not a protobuf TrackingEvent");
    }

    @Test
    void unpacksAggregatedRecordsOnAShardMixedWithPlainOnes() {
        TrackingEvent plainBefore = event("p-mixed");
        List<TrackingEvent> packed = IntStream.range(0, 120).mapToObj(i -> event("p-mixed")).toList();
        byte[] poison = { (byte) 0xff, 0x13, 0x37, 0x00 };
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer(packed.get(0).messageId());
        packed.subList(0, 60).forEach(event -> packer.add(TrackingEventCodec.encode(event)));
        packer.add(poison);
        packed.subList(60, 120).forEach(event -> packer.add(TrackingEventCodec.encode(event)));
        List<TrackingEvent> corrupt = List.of(event("p-corrupt"), event("p-corrupt"));
        byte[] corrupted = new AggregatedRecords.Packer("k").add(TrackingEventCodec.encode(corrupt.get(0)))
                .add(TrackingEventCodec.encode(corrupt.get(1))).toBytes();
        corrupted[corrupted.length - 1] ^= 0x01;
        TrackingEvent plainAfter = event("p-mixed");

        put(TrackingEventCodec.encode(plainBefore));
        String aggregatedSequence = put(packer.toBytes());
        String corruptedSequence = put(corrupted);
        put(packer.toBytes()); // the same aggregated record delivered again
        put(TrackingEventCodec.encode(plainAfter));

        awaitItem(plainAfter.messageId());
        List<String> mixed = Stream.concat(Stream.of(plainBefore, plainAfter), packed.stream())
                .map(TrackingEvent::messageId).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(mixed).size() == mixed.size());
        assertThat(eventsOfProgram("p-mixed")).as("nothing else stored for the program").isSubsetOf(mixed);
        assertThat(stored(corrupt.stream().map(TrackingEvent::messageId).toList())).isEmpty();
        assertThat(eventsOfProgram("p-corrupt")).isEmpty();
        EventItem inner = awaitItem(packed.get(61).messageId());
        assertThat(inner.getSubSequenceNumber()).isEqualTo(62L); // the poison event sits at index 60
        assertThat(inner.getStoredAt()).isGreaterThanOrEqualTo(inner.getReceivedAt());
        assertThat(awaitItem(plainBefore.messageId()).getSubSequenceNumber()).isNull();

        DeadLetterItem poisonEvent = awaitDeadLetter(
                STREAM + ":shardId-000000000000:" + aggregatedSequence + ":60");
        assertThat(poisonEvent.getData().asByteArray()).isEqualTo(poison);
        assertThat(poisonEvent.getSubSequenceNumber()).isEqualTo(60L);
        assertThat(poisonEvent.getError()).contains("not a protobuf TrackingEvent");
        DeadLetterItem corruptRecord = awaitDeadLetter(STREAM + ":shardId-000000000000:" + corruptedSequence);
        assertThat(corruptRecord.getData().asByteArray()).isEqualTo(corrupted);
        assertThat(corruptRecord.getError()).contains("MD5");
    }

    @Test
    void storesEveryEventPublishedDuringADynamoDbOutageOnceItRecovers() {
        // everything put before this test is handled once its marker is stored
        TrackingEvent marker = event("p-outage-marker");
        put(TrackingEventCodec.encode(marker));
        awaitItem(marker.messageId());
        double deadLettersBefore = meters.counter("eventstore.dead.letters").count();
        List<TrackingEvent> events = IntStream.range(0, 50).mapToObj(i -> event("p-outage")).toList();

        engines.dynamoDb().stop();
        try {
            List<String> sequenceNumbers = events.stream().map(event -> put(TrackingEventCodec.encode(event)))
                    .toList();
            assertThat(sequenceNumbers).hasSize(50).doesNotContainNull();
        }
        finally {
            engines.dynamoDb().start();
        }

        List<String> ids = events.stream().map(TrackingEvent::messageId).toList();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> stored(ids).size() == ids.size());
        assertThat(eventsOfProgram("p-outage")).as("nothing else stored for the program").isSubsetOf(ids);
        assertThat(meters.counter("eventstore.dead.letters").count()).as("an outage is not poison")
                .isEqualTo(deadLettersBefore);
    }

    @Test
    void continuesTheTraceOfAnXRayHeader() {
        Span span = traces.childOf("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
                "store event").start();
        span.end();

        assertThat(span.context().traceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
        assertThat(span.context().parentId()).isEqualTo("53995c3f42cd8ad8");
        assertThat(span.context().sampled()).isTrue();
    }
}
