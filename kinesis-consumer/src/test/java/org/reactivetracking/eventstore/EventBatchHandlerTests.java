package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reactivetracking.kinesis.KclBatches;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;

/**
 * The handler alone: what a batch of plain records, user records the KCL unpacked and aggregated records it could not
 * unpack turns into, with the writer captured.
 */
class EventBatchHandlerTests {

    private final EventWriter writer = mock(EventWriter.class);
    private final List<EventItem> written = new ArrayList<>();
    private final List<DeadLetterItem> deadLetters = new ArrayList<>();
    /** Writes and checkpoints in the order they happened. */
    private final List<String> log = new ArrayList<>();
    private Predicate<EventItem> refusedByDynamoDb = item -> false;
    private final KclBatches batch = new KclBatches(log);

    EventBatchHandlerTests() {
        when(writer.writeEvents(anyList())).thenAnswer(invocation -> {
            List<EventItem> items = invocation.getArgument(0);
            log.add("write " + items.stream().map(EventItem::getUserAgent).toList());
            List<EventWriter.Refusal<EventItem>> refusals = new ArrayList<>();
            for (EventItem item : items) {
                if (refusedByDynamoDb.test(item)) {
                    refusals.add(new EventWriter.Refusal<>(item, "ValidationException: no"));
                }
                else {
                    written.add(item);
                }
            }
            return refusals;
        });
        doAnswer(invocation -> deadLetters.addAll(invocation.getArgument(0))).when(writer)
                .writeDeadLetters(anyList());
    }

    @Test
    void treatsEveryEventOfAnAggregatedRecordLikeAPlainOne() {
        List<TrackingEvent> packed = IntStream.range(0, 5).mapToObj(i -> event("p" + i)).toList();
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer("k");
        packed.forEach(event -> packer.add(TrackingEventCodec.encode(event)));
        TrackingEvent plain = event("plain");

        handler(100).handle(batch.plain("1", TrackingEventCodec.encode(plain)).plain("2", packer.toBytes()).batch());

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(plain.messageId(),
                packed.get(0).messageId(), packed.get(1).messageId(), packed.get(2).messageId(),
                packed.get(3).messageId(), packed.get(4).messageId());
        assertThat(written).extracting(EventItem::getSequenceNumber).containsExactly("1", "2", "2", "2", "2", "2");
        assertThat(written).extracting(EventItem::getSubSequenceNumber).containsExactly(null, 0L, 1L, 2L, 3L, 4L);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void storesUserRecordsTheKclUnpackedUnderTheirSubSequenceNumbers() {
        List<TrackingEvent> packed = IntStream.range(0, 3).mapToObj(i -> event("p" + i)).toList();
        batch.plain("1", TrackingEventCodec.encode(event("plain")));
        IntStream.range(0, 3).forEach(i -> batch.userRecord("2", i, TrackingEventCodec.encode(packed.get(i))));

        handler(100).handle(batch.batch());

        assertThat(written).extracting(EventItem::getSequenceNumber).containsExactly("1", "2", "2", "2");
        assertThat(written).extracting(EventItem::getSubSequenceNumber).containsExactly(null, 0L, 1L, 2L);
        assertThat(written.subList(1, 4)).extracting(EventItem::getMessageId)
                .containsExactlyElementsOf(packed.stream().map(TrackingEvent::messageId).toList());
        assertThat(log).as("one write cycle: the listener checkpoints the whole batch").singleElement().asString()
                .startsWith("write");
    }

    @Test
    void deadLettersAPoisonUserRecordTheKclUnpackedUnderItsOwnId() {
        TrackingEvent first = event("first");
        byte[] poison = { 0x0a, (byte) 0xff };

        handler(100).handle(batch.userRecord("7", 0, TrackingEventCodec.encode(first)).userRecord("7", 1, poison)
                .batch());

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(first.messageId());
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:" + KclBatches.SHARD + ":7:1");
            assertThat(deadLetter.getSubSequenceNumber()).isEqualTo(1L);
            assertThat(deadLetter.getData().asByteArray()).isEqualTo(poison);
        });
    }

    @Test
    void deadLettersOnePoisonEventOfAnAggregatedRecordAndKeepsTheOthers() {
        TrackingEvent first = event("first");
        TrackingEvent last = event("last");
        byte[] poison = { 0x0a, (byte) 0xff };
        byte[] record = new AggregatedRecords.Packer("k").add(TrackingEventCodec.encode(first)).add(poison)
                .add(TrackingEventCodec.encode(last)).toBytes();

        handler(100).handle(batch.plain("7", record).batch());

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(first.messageId(), last.messageId());
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:" + KclBatches.SHARD + ":7:1");
            assertThat(deadLetter.getSubSequenceNumber()).isEqualTo(1L);
            assertThat(deadLetter.getData().asByteArray()).isEqualTo(poison);
        });
    }

    @Test
    void deadLettersAnAggregatedRecordWithAWrongDigestAsAWhole() {
        byte[] record = new AggregatedRecords.Packer("k").add(TrackingEventCodec.encode(event("a")))
                .add(TrackingEventCodec.encode(event("b"))).toBytes();
        record[record.length - 1] ^= 0x01;
        TrackingEvent next = event("next");

        handler(100).handle(batch.plain("3", record).plain("4", TrackingEventCodec.encode(next)).batch());

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(next.messageId());
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:" + KclBatches.SHARD + ":3");
            assertThat(deadLetter.getSubSequenceNumber()).isNull();
            assertThat(deadLetter.getData().asByteArray()).isEqualTo(record);
            assertThat(deadLetter.getError()).contains("MD5");
        });
    }

    @Test
    void writesInBoundedCyclesAndCheckpointsOnlyWholeStoredRecords() {
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer("k");
        IntStream.range(0, 10).forEach(i -> packer.add(TrackingEventCodec.encode(event("B" + i))));

        handler(4).handle(batch.plain("1", TrackingEventCodec.encode(event("A"))).plain("2", packer.toBytes())
                .plain("3", TrackingEventCodec.encode(event("C"))).plain("4", TrackingEventCodec.encode(event("D")))
                .batch());

        assertThat(log).containsExactly(
                "write [A, B0, B1, B2]", "checkpoint 1/0",
                "write [B3, B4, B5, B6]",
                "write [B7, B8, B9, C]", "checkpoint 3/0",
                "write [D]");
    }

    @Test
    void checkpointsInsideAnAggregatedRecordTheKclUnpackedAtTheLastStoredUserRecord() {
        batch.plain("1", TrackingEventCodec.encode(event("A")));
        IntStream.range(0, 6).forEach(i -> batch.userRecord("2", i, TrackingEventCodec.encode(event("B" + i))));
        batch.plain("3", TrackingEventCodec.encode(event("C")));

        handler(4).handle(batch.batch());

        assertThat(log).containsExactly(
                "write [A, B0, B1, B2]", "checkpoint 2/2",
                "write [B3, B4, B5, C]", "checkpoint 3/0");
    }

    @Test
    void deadLettersTheEventsDynamoDbRefusesAndStoresTheOthers() {
        refusedByDynamoDb = item -> item.getUserAgent().equals("refused");

        handler(100).handle(batch.plain("1", TrackingEventCodec.encode(event("fine")))
                .plain("2", TrackingEventCodec.encode(event("refused"))).batch());

        assertThat(written).extracting(EventItem::getUserAgent).containsExactly("fine");
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:" + KclBatches.SHARD + ":2");
            assertThat(deadLetter.getError()).isEqualTo("DynamoDB refused the event: ValidationException: no");
        });
    }

    @Test
    void deadLettersEventsOverDynamoDbLimitsBeforeWritingThem() {
        TrackingEvent keyAtLimit = new TrackingEvent("k".repeat(2048), program(), "key at limit", Instant.now(), "");
        TrackingEvent keyPastLimit = new TrackingEvent("k".repeat(2049), program(), "key past limit", Instant.now(),
                "");
        TrackingEvent oversize = new TrackingEvent(UUID.randomUUID().toString(), program(), "x".repeat(410_000),
                Instant.now(), "");

        handler(100).handle(batch.plain("1", TrackingEventCodec.encode(keyAtLimit))
                .plain("2", TrackingEventCodec.encode(keyPastLimit)).plain("3", TrackingEventCodec.encode(oversize))
                .batch());

        assertThat(written).extracting(EventItem::getUserAgent).containsExactly("key at limit");
        assertThat(deadLetters).extracting(DeadLetterItem::getError).satisfiesExactly(
                error -> assertThat(error).isEqualTo("DynamoDB can never store this event: key attribute messageId"
                        + " of 2049 bytes; DynamoDB takes 1 to 2048 bytes"),
                error -> assertThat(error).matches("DynamoDB can never store this event: item of 410\\d{3} bytes;"
                        + " DynamoDB takes items of at most 409600 bytes"));
    }

    @Test
    void stampsEachEventWithItsExpiryFromItsReceiveTimeWhenARetentionIsSet() {
        TrackingEvent event = event("kept for 30 days");

        handler(100, Duration.ofDays(30)).handle(new KclBatches().plain("1", TrackingEventCodec.encode(event))
                .batch());
        handler(100, null).handle(new KclBatches().plain("2", TrackingEventCodec.encode(event("kept"))).batch());

        assertThat(written).extracting(EventItem::getExpiresAt).containsExactly(
                event.receivedAt().getEpochSecond() + Duration.ofDays(30).toSeconds(), null);
    }

    private EventBatchHandler handler(int maxEventsPerCycle) {
        return handler(maxEventsPerCycle, null);
    }

    private EventBatchHandler handler(int maxEventsPerCycle, Duration eventRetention) {
        EventStoreProperties properties = new EventStoreProperties("events", "dead-letters", false, 1,
                maxEventsPerCycle, Duration.ofDays(1), eventRetention,
                new EventStoreProperties.Retry(Duration.ofMillis(1), Duration.ofMillis(1)));
        return new EventBatchHandler(writer, new TraceHeaders(Tracer.NOOP, Propagator.NOOP), properties,
                new SimpleMeterRegistry());
    }

    /** An event whose user agent names it, so the log reads as the batch. */
    private static TrackingEvent event(String name) {
        return new TrackingEvent(UUID.randomUUID().toString(), program(), name, Instant.now(), "");
    }

    private static Program program() {
        return new Program("p", "n", "c", 1, "c", true);
    }
}
