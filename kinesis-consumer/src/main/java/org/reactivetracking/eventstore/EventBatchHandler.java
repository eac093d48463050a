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
import org.reactivetracking.model.InvalidRecordException;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns one batch of stream records into stored events. Records that are not valid tracking events go to the
 * dead-letter table with the reason, and the batch goes on: the shard never stalls on them. Returns only once
 * everything is written, so the caller may checkpoint the batch.
 */
@Component
class EventBatchHandler {

    private static final Logger log = LoggerFactory.getLogger(EventBatchHandler.class);

    private final EventWriter writer;
    private final TraceHeaders traces;
    private final DistributionSummary batchSize;
    private final AtomicLong lagMillis = new AtomicLong();

    EventBatchHandler(EventWriter writer, TraceHeaders traces, MeterRegistry meters) {
        this.writer = writer;
        this.traces = traces;
        this.batchSize = DistributionSummary.builder("eventstore.batch.size").register(meters);
        meters.gauge("eventstore.lag.ms", lagMillis);
    }

    void handle(List<KinesisBatch.Record> records) {
        long now = System.currentTimeMillis();
        // BatchWriteItem refuses two puts of one key in a request: a record delivered twice in a batch is one item.
        Map<String, EventItem> events = new LinkedHashMap<>();
        List<DeadLetterItem> deadLetters = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        long newest = 0;
        for (KinesisBatch.Record record : records) {
            try {
                TrackingEvent event = TrackingEventCodec.decode(record.data());
                events.put(event.messageId(), EventItem.of(event, now, record.shardId(), record.sequenceNumber()));
                if (!event.traceHeader().isEmpty()) {
                    // the write of this event, in the trace of the request that tracked it
                    spans.add(traces.childOf(event.traceHeader(), "store event").kind(Span.Kind.CONSUMER)
                            .tag("messageId", event.messageId()).tag("table", writer.events().tableName()).start());
                }
                if (event.receivedAt() != null) {
                    newest = Math.max(newest, event.receivedAt().toEpochMilli());
                }
            }
            catch (InvalidRecordException ex) {
                log.warn("Dead-lettering record {} of {}/{}: {}", record.sequenceNumber(), record.stream(),
                        record.shardId(), ex.getMessage());
                deadLetters.add(DeadLetterItem.of(record.stream(), record.shardId(), record.sequenceNumber(),
                        record.data(), ex.getMessage()));
            }
        }
        try {
            writer.write(List.copyOf(events.values()), deadLetters);
        }
        catch (RuntimeException ex) {
            spans.forEach(span -> span.error(ex));
            throw ex;
        }
        finally {
            spans.forEach(Span::end);
        }
        log.debug("Stored {} events and {} dead letters from {} records", events.size(), deadLetters.size(),
                records.size());
        batchSize.record(records.size());
        if (newest > 0) {
            lagMillis.set(Math.max(0, System.currentTimeMillis() - newest));
        }
    }
}
