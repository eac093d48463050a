package org.reactivetracking.eventstore;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.InvalidRecordException;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns one batch of stream records into stored events. A record is one protobuf {@code TrackingEvent}, or an
 * aggregated record (the KPL format) holding many: those are unpacked and each event is treated as a plain one.
 * Events that are not valid go to the dead-letter table with the reason, one dead letter per event (an aggregated
 * record whose digest does not match is one dead letter as a whole), and the batch goes on: the shard never stalls
 * on them. Returns only once everything is written, so the caller may checkpoint the batch.
 */
@Component
class EventBatchHandler {

    private static final Logger log = LoggerFactory.getLogger(EventBatchHandler.class);

    private final EventWriter writer;
    private final TraceHeaders traces;
    private final DistributionSummary batchSize;
    private final DistributionSummary eventsPerRecord;
    private final AtomicLong lagMillis = new AtomicLong();

    EventBatchHandler(EventWriter writer, TraceHeaders traces, MeterRegistry meters) {
        this.writer = writer;
        this.traces = traces;
        this.batchSize = DistributionSummary.builder("eventstore.batch.size").register(meters);
        this.eventsPerRecord = DistributionSummary.builder("eventstore.batch.events.per.record")
                .description("user records per Kinesis record: above 1 when producers aggregate").register(meters);
        meters.gauge("eventstore.lag.ms", lagMillis);
    }

    void handle(List<KinesisBatch.Record> records) {
        Contents contents = new Contents(System.currentTimeMillis());
        for (KinesisBatch.Record record : records) {
            if (!AggregatedRecords.isAggregated(record.data())) {
                contents.add(record, null, record.data());
                continue;
            }
            List<byte[]> userRecords;
            try {
                userRecords = AggregatedRecords.unpack(record.data());
            }
            catch (InvalidRecordException ex) {
                contents.deadLetter(record, null, record.data(), ex);
                continue;
            }
            for (int i = 0; i < userRecords.size(); i++) {
                contents.add(record, (long) i, userRecords.get(i));
            }
        }
        try {
            writer.write(List.copyOf(contents.events.values()), contents.deadLetters);
        }
        catch (RuntimeException ex) {
            contents.spans.forEach(span -> span.error(ex));
            throw ex;
        }
        finally {
            contents.spans.forEach(Span::end);
        }
        log.debug("Stored {} events and {} dead letters from {} records", contents.events.size(),
                contents.deadLetters.size(), records.size());
        batchSize.record(records.size());
        if (!records.isEmpty()) {
            eventsPerRecord.record((double) contents.userRecords / records.size());
        }
        if (contents.newest > 0) {
            lagMillis.set(Math.max(0, System.currentTimeMillis() - contents.newest));
        }
    }

    /** What one batch holds: the events to store, the dead letters, and a span per traced event. */
    private final class Contents {

        final long now;
        // BatchWriteItem refuses two puts of one key in a request: an event delivered twice in a batch is one item.
        final Map<String, EventItem> events = new LinkedHashMap<>();
        final List<DeadLetterItem> deadLetters = new ArrayList<>();
        final List<Span> spans = new ArrayList<>();
        long newest;
        int userRecords;

        Contents(long now) {
            this.now = now;
        }

        /** One event: a plain record ({@code subSequence == null}) or a user record of an aggregated one. */
        void add(KinesisBatch.Record record, Long subSequence, byte[] data) {
            userRecords++;
            TrackingEvent event;
            try {
                event = TrackingEventCodec.decode(data);
            }
            catch (InvalidRecordException ex) {
                deadLetter(record, subSequence, data, ex);
                return;
            }
            events.put(event.messageId(),
                    EventItem.of(event, now, record.shardId(), record.sequenceNumber(), subSequence));
            if (!event.traceHeader().isEmpty()) {
                // the write of this event, in the trace of the request that tracked it
                spans.add(traces.childOf(event.traceHeader(), "store event").kind(Span.Kind.CONSUMER)
                        .tag("messageId", event.messageId()).tag("table", writer.events().tableName()).start());
            }
            if (event.receivedAt() != null) {
                newest = Math.max(newest, event.receivedAt().toEpochMilli());
            }
        }

        void deadLetter(KinesisBatch.Record record, Long subSequence, byte[] data, InvalidRecordException ex) {
            log.warn("Dead-lettering record {}{} of {}/{}: {}", record.sequenceNumber(),
                    subSequence == null ? "" : " (user record " + subSequence + ")", record.stream(),
                    record.shardId(), ex.getMessage());
            deadLetters.add(DeadLetterItem.of(record.stream(), record.shardId(), record.sequenceNumber(), subSequence,
                    data, ex.getMessage()));
        }
    }
}
