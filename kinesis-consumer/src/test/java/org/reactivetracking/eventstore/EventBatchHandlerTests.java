package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;

/** The handler alone: what a batch of plain and aggregated records turns into, with the writer captured. */
class EventBatchHandlerTests {

    private final EventWriter writer = mock(EventWriter.class);
    private final List<EventItem> written = new ArrayList<>();
    private final List<DeadLetterItem> deadLetters = new ArrayList<>();
    private final EventBatchHandler handler = new EventBatchHandler(writer,
            new TraceHeaders(Tracer.NOOP, Propagator.NOOP), new SimpleMeterRegistry());

    EventBatchHandlerTests() {
        doAnswer(invocation -> {
            written.addAll(invocation.getArgument(0));
            deadLetters.addAll(invocation.getArgument(1));
            return null;
        }).when(writer).write(anyList(), anyList());
    }

    @Test
    void treatsEveryEventOfAnAggregatedRecordLikeAPlainOne() {
        List<TrackingEvent> packed = IntStream.range(0, 5).mapToObj(i -> event()).toList();
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer("k");
        packed.forEach(event -> packer.add(TrackingEventCodec.encode(event)));
        TrackingEvent plain = event();

        handler.handle(List.of(record("1", TrackingEventCodec.encode(plain)), record("2", packer.toBytes())));

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(plain.messageId(),
                packed.get(0).messageId(), packed.get(1).messageId(), packed.get(2).messageId(),
                packed.get(3).messageId(), packed.get(4).messageId());
        assertThat(written).extracting(EventItem::getSequenceNumber).containsExactly("1", "2", "2", "2", "2", "2");
        assertThat(written).extracting(EventItem::getSubSequenceNumber).containsExactly(null, 0L, 1L, 2L, 3L, 4L);
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void deadLettersOnePoisonEventOfAnAggregatedRecordAndKeepsTheOthers() {
        TrackingEvent first = event();
        TrackingEvent last = event();
        byte[] poison = { 0x0a, (byte) 0xff };
        byte[] record = new AggregatedRecords.Packer("k").add(TrackingEventCodec.encode(first)).add(poison)
                .add(TrackingEventCodec.encode(last)).toBytes();

        handler.handle(List.of(record("7", record)));

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(first.messageId(), last.messageId());
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:shardId-0:7:1");
            assertThat(deadLetter.getSubSequenceNumber()).isEqualTo(1L);
            assertThat(deadLetter.getData().asByteArray()).isEqualTo(poison);
        });
    }

    @Test
    void deadLettersAnAggregatedRecordWithAWrongDigestAsAWhole() {
        byte[] record = new AggregatedRecords.Packer("k").add(TrackingEventCodec.encode(event()))
                .add(TrackingEventCodec.encode(event())).toBytes();
        record[record.length - 1] ^= 0x01;
        TrackingEvent next = event();

        handler.handle(List.of(record("3", record), record("4", TrackingEventCodec.encode(next))));

        assertThat(written).extracting(EventItem::getMessageId).containsExactly(next.messageId());
        assertThat(deadLetters).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.getId()).isEqualTo("events:shardId-0:3");
            assertThat(deadLetter.getSubSequenceNumber()).isNull();
            assertThat(deadLetter.getData().asByteArray()).isEqualTo(record);
            assertThat(deadLetter.getError()).contains("MD5");
        });
    }

    private static KinesisBatch.Record record(String sequenceNumber, byte[] data) {
        return new KinesisBatch.Record("events", "shardId-0", sequenceNumber, data);
    }

    private static TrackingEvent event() {
        return new TrackingEvent(UUID.randomUUID().toString(), new Program("p", "n", "c", 1, "c", true), "ua",
                Instant.now(), "");
    }
}
