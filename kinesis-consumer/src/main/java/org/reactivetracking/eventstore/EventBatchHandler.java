package org.reactivetracking.eventstore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivetracking.kinesis.BatchListener;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.kinesis.LagGauge;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.InvalidRecordException;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns one batch of stream records into stored events. A record is one protobuf {@code TrackingEvent}, or a user
 * record the KCL unpacked from an aggregated record (the KPL format), with its sub-sequence number. A record that
 * still carries the aggregated format's magic bytes is one the KCL could not unpack: it is unpacked here, or
 * dead-lettered with the reason.
 * <p>
 * Whatever a record holds, it never stops the shard: an event that does not decode, or that DynamoDB can never store
 * (a key or the item over its limit, checked before writing, or refused when written), goes to the dead-letter table
 * with the reason, one dead letter per event (an aggregated record that does not unpack is one dead letter as a
 * whole), and the batch goes on.
 * <p>
 * Memory and redelivery are bounded whatever producers write: events are written in cycles of at most
 * {@code eventstore.max-events-per-cycle} (a GetRecords call returns up to 10 MB: ~50,000 events), and after each
 * cycle that ends past a record boundary the batch is checkpointed up to the last record fully stored (a user record
 * is one: the KCL checkpoints a sequence and a sub-sequence number).
 */
@Component
class EventBatchHandler implements BatchListener.Handler {

    private static final Logger log = LoggerFactory.getLogger(EventBatchHandler.class);
    private static final List<String> PARTITION_KEYS = List.of("messageId", "programId");

    private final EventWriter writer;
    private final TraceHeaders traces;
    private final String eventsTable;
    private final int maxEventsPerCycle;
    private final Duration deadLetterRetention;
    private final Duration eventRetention;
    private final DistributionSummary batchSize;
    private final DistributionSummary eventsPerRecord;
    private final DistributionSummary cycleSize;
    private final Counter checkpoints;
    private final LagGauge lag;

    EventBatchHandler(EventWriter writer, TraceHeaders traces, EventStoreProperties properties, MeterRegistry meters) {
        this.writer = writer;
        this.traces = traces;
        this.eventsTable = properties.eventsTable();
        this.maxEventsPerCycle = properties.maxEventsPerCycle();
        this.deadLetterRetention = properties.deadLetterRetention();
        this.eventRetention = properties.eventRetention();
        this.batchSize = DistributionSummary.builder("eventstore.batch.size").register(meters);
        this.eventsPerRecord = DistributionSummary.builder("eventstore.batch.events.per.record")
                .description("user records per Kinesis record: above 1 when producers aggregate").register(meters);
        this.cycleSize = DistributionSummary.builder("eventstore.cycle.size")
                .description("events and dead letters held and written in one write cycle").register(meters);
        this.checkpoints = Counter.builder("eventstore.checkpoints.inside.batch")
                .description("checkpoints taken at a record boundary inside a large batch").register(meters);
        this.lag = new LagGauge(meters, "eventstore.lag.ms", Duration.ofMinutes(1));
    }

    @Override
    public void handle(KinesisBatch batch) {
        List<KinesisBatch.Record> records = batch.records();
        Cycle cycle = new Cycle();
        long userRecords = 0;
        KinesisBatch.Record stored = null;
        KinesisBatch.Record checkpointed = null;
        for (KinesisBatch.Record record : records) {
            // a user record the KCL unpacked carries its place in its aggregated record; one it could not unpack is
            // unpacked (or dead-lettered) here
            boolean aggregated = AggregatedRecords.isAggregated(record.data());
            List<byte[]> events = unpack(record, cycle);
            userRecords += events == null ? 1 : events.size();
            for (int i = 0; events != null && i < events.size(); i++) {
                cycle.add(record, aggregated ? Long.valueOf(i) : record.subSequence(), events.get(i));
                if (cycle.size() >= maxEventsPerCycle && i < events.size() - 1) {
                    // inside a record: store what is held, checkpoint up to the last whole record
                    cycle = cycle.flush();
                    checkpointed = checkpoint(batch, stored, checkpointed);
                }
            }
            stored = record;
            if (cycle.size() >= maxEventsPerCycle) {
                cycle = cycle.flush();
                checkpointed = checkpoint(batch, stored, checkpointed);
            }
        }
        if (cycle.size() > 0) {
            cycle.flush();
        }
        batchSize.record(records.size());
        if (!records.isEmpty()) {
            eventsPerRecord.record((double) userRecords / records.size());
        }
    }

    /**
     * The events of a record: itself when plain, its user records when aggregated; {@code null} (and a dead letter in
     * the cycle) when it claims to be aggregated but does not unpack.
     */
    private List<byte[]> unpack(KinesisBatch.Record record, Cycle cycle) {
        if (!AggregatedRecords.isAggregated(record.data())) {
            return List.of(record.data());
        }
        try {
            return AggregatedRecords.unpack(record.data());
        }
        catch (InvalidRecordException ex) {
            cycle.deadLetter(record, null, record.data(), ex.getMessage());
            return null;
        }
    }

    private KinesisBatch.Record checkpoint(KinesisBatch batch, KinesisBatch.Record stored,
            KinesisBatch.Record checkpointed) {
        if (stored == null || stored == checkpointed) {
            return checkpointed;
        }
        if (batch.checkpoint(stored)) {
            checkpoints.increment();
        }
        return stored;
    }

    /** The events and dead letters of one write cycle, and a span per traced event. */
    private final class Cycle {

        // BatchWriteItem refuses two puts of one key in a request: an event delivered twice in a cycle is one item.
        private final Map<String, Source> events = new LinkedHashMap<>();
        private final List<DeadLetterItem> deadLetters = new ArrayList<>();
        private final long now = System.currentTimeMillis();
        private long newest;

        int size() {
            return events.size() + deadLetters.size();
        }

        /** One event: a plain record ({@code subSequence == null}) or a user record of an aggregated one. */
        void add(KinesisBatch.Record record, Long subSequence, byte[] data) {
            TrackingEvent event;
            EventItem item;
            String tooLarge;
            try {
                event = TrackingEventCodec.decode(data);
                item = EventItem.of(event, now, record.shardId(), record.sequenceNumber(), subSequence, eventRetention);
                tooLarge = ItemLimits.violation(EventItem.SCHEMA.itemToMap(item, true), PARTITION_KEYS);
            }
            catch (InvalidRecordException ex) {
                deadLetter(record, subSequence, data, ex.getMessage());
                return;
            }
            catch (RuntimeException ex) {
                // whatever a record holds, it must not stop the shard
                deadLetter(record, subSequence, data, "cannot be read as an event: " + ex);
                return;
            }
            if (tooLarge != null) {
                deadLetter(record, subSequence, data, "DynamoDB can never store this event: " + tooLarge);
                return;
            }
            Span span = null;
            if (!event.traceHeader().isEmpty()) {
                // the write of this event, in the trace of the request that tracked it
                span = traces.childOf(event.traceHeader(), "store event").kind(Span.Kind.CONSUMER)
                        .tag("messageId", event.messageId()).tag("table", eventsTable).start();
            }
            Source previous = events.put(event.messageId(), new Source(item, record, subSequence, data, span));
            if (previous != null && previous.span != null) {
                previous.span.end();
            }
            if (event.receivedAt() != null) {
                newest = Math.max(newest, event.receivedAt().toEpochMilli());
            }
        }

        void deadLetter(KinesisBatch.Record record, Long subSequence, byte[] data, String reason) {
            log.warn("Dead-lettering record {}{} of {}/{}: {}", record.sequenceNumber(),
                    subSequence == null ? "" : " (user record " + subSequence + ")", record.stream(),
                    record.shardId(), reason);
            deadLetters.add(DeadLetterItem.of(record.stream(), record.shardId(), record.sequenceNumber(), subSequence,
                    data, reason, deadLetterRetention));
        }

        /** Stores the cycle, returns once all of it is stored; the next cycle. */
        Cycle flush() {
            cycleSize.record(size());
            try {
                for (EventWriter.Refusal<EventItem> refusal : writer.writeEvents(
                        events.values().stream().map(Source::item).toList())) {
                    Source source = events.get(refusal.item().getMessageId());
                    deadLetter(source.record, source.subSequence, source.data, "DynamoDB refused the event: "
                            + refusal.reason());
                    if (source.span != null) {
                        source.span.error(new IllegalArgumentException(refusal.reason()));
                    }
                }
                writer.writeDeadLetters(deadLetters);
            }
            catch (RuntimeException ex) {
                events.values().stream().filter(source -> source.span != null)
                        .forEach(source -> source.span.error(ex));
                throw ex;
            }
            finally {
                events.values().stream().filter(source -> source.span != null).forEach(source -> source.span.end());
            }
            log.debug("Stored {} events and {} dead letters", events.size(), deadLetters.size());
            if (newest > 0) {
                lag.handled(newest);
            }
            return new Cycle();
        }
    }

    /** An event to store, with where it came from (for its dead letter, should DynamoDB refuse it). */
    private record Source(EventItem item, KinesisBatch.Record record, Long subSequence, byte[] data, Span span) {
    }
}
