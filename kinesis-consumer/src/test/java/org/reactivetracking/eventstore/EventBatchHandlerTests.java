package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.awspring.cloud.kinesis.integration.Checkpointer;
import io.awspring.cloud.kinesis.integration.KinesisHeaders;
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
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** The handler alone: what a batch of plain and aggregated records turns into, with the writer captured. */
class EventBatchHandlerTests {

    private final EventWriter writer = mock(EventWriter.class);
    private final List<EventItem> written = new ArrayList<>();
    private final List<DeadLetterItem> deadLetters = new ArrayList<>();
    /** Writes and checkpoints in the order they happened. */
    private final List<String> log = new ArrayList<>();
    private Predicate<EventItem> refusedByDynamoDb = item -> false;

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

        handler(100).handle(batch(record("1", TrackingEventCodec.encode(plain)), record("2", packer.toBytes())));

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(plain.messageId(),
                packed.get(0).messageId(), packed.get(1).messageId(), packed.get(2).messageId(),
                packed.get(3).messageId(), packed.get(4).messageId());
        assertThat(written).extracting(EventItem::getSequenceNumber).containsExactly("1", "2", "2", "2", "2", "2");
        assertThat(written).extracting(EventItem::getSubSequenceNumber).containsExactly(null, 0L, 1L, 2L, 3L, 4L);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void deadLettersOnePoisonEventOfAnAggregatedRecordAndKeepsTheOthers() {
        TrackingEvent first = event("first");
        TrackingEvent last = event("last");
        byte[] poison = { 0x0a, (byte) 0xff };
        byte[] record = new AggregatedRecords.Packer("k").add(TrackingEventCodec.encode(first)).add(poison)
                .add(TrackingEventCodec.encode(last)).toBytes();

        handler(100).handle(batch(record("7", record)));

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(first.messageId(), last.messageId());
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:shardId-0:7:1");
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

        handler(100).handle(batch(record("3", record), record("4", TrackingEventCodec.encode(next))));

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(next.messageId());
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:shardId-0:3");
            assertThat(deadLetter.getSubSequenceNumber()).isNull();
            assertThat(deadLetter.getData().asByteArray()).isEqualTo(record);
            assertThat(deadLetter.getError()).contains("MD5");
        });
    }

    @Test
    void writesInBoundedCyclesAndCheckpointsOnlyWholeStoredRecords() {
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer("k");
        IntStream.range(0, 10).forEach(i -> packer.add(TrackingEventCodec.encode(event("B" + i))));

        handler(4).handle(batch(record("1", TrackingEventCodec.encode(event("A"))), record("2", packer.toBytes()),
                record("3", TrackingEventCodec.encode(event("C"))), record("4", TrackingEventCodec.encode(event("D")))));

        assertThat(log).containsExactly(
                "write [A, B0, B1, B2]", "checkpoint 1",
                "write [B3, B4, B5, B6]",
                "write [B7, B8, B9, C]", "checkpoint 3",
                "write [D]");
    }

    @Test
    void deadLettersTheEventsDynamoDbRefusesAndStoresTheOthers() {
        refusedByDynamoDb = item -> item.getUserAgent().equals("refused");

        handler(100).handle(batch(record("1", TrackingEventCodec.encode(event("fine"))),
                record("2", TrackingEventCodec.encode(event("refused")))));

        assertThat(written).extracting(EventItem::getUserAgent).containsExactly("fine");
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:shardId-0:2");
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

        handler(100).handle(batch(record("1", TrackingEventCodec.encode(keyAtLimit)),
                record("2", TrackingEventCodec.encode(keyPastLimit)), record("3", TrackingEventCodec.encode(oversize))));

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

        handler(100, Duration.ofDays(30)).handle(batch(record("1", TrackingEventCodec.encode(event))));
        handler(100, null).handle(batch(record("2", TrackingEventCodec.encode(event("kept")))));

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

    private KinesisBatch batch(Message<?>... records) {
        return KinesisBatch.of(MessageBuilder.withPayload(List.of(records))
                .setHeader(KinesisHeaders.RECEIVED_STREAM, "events").setHeader(KinesisHeaders.SHARD, "shardId-0")
                .setHeader(KinesisHeaders.CHECKPOINTER, new Checkpointer() {
                    @Override
                    public boolean checkpoint() {
                        log.add("checkpoint");
                        return true;
                    }

                    @Override
                    public boolean checkpoint(String sequenceNumber) {
                        log.add("checkpoint " + sequenceNumber);
                        return true;
                    }
                }).build());
    }

    private static Message<byte[]> record(String sequenceNumber, byte[] data) {
        return MessageBuilder.withPayload(data).setHeader(KinesisHeaders.RECEIVED_SEQUENCE_NUMBER, sequenceNumber)
                .build();
    }

    /** An event whose user agent names it, so the log reads as the batch. */
    private static TrackingEvent event(String name) {
        return new TrackingEvent(UUID.randomUUID().toString(), program(), name, Instant.now(), "");
    }

    private static Program program() {
        return new Program("p", "n", "c", 1, "c", true);
    }
}
