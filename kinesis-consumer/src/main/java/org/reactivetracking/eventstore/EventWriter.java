package org.reactivetracking.eventstore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.reactivetracking.kinesis.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;

/**
 * Writes events and dead letters to DynamoDB with BatchWriteItem: 25 items a request, a bounded number of requests
 * in parallel. Failures are classified ({@link DynamoDbFailures}): unprocessed items and transient failures are
 * retried with back-off until they succeed, holding the shard; a request refused for its data fails as a whole, so
 * it is split in halves until the refused items are found, and those are returned to the caller with the reason.
 * Dead letters never fail for their data: one refused is written again without the record's bytes.
 */
@Component
class EventWriter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    private static final int MAX_BATCH_ITEMS = 25;

    /** An item DynamoDB refused for good, and why. */
    record Refusal<T>(T item, String reason) {
    }

    private final DynamoDbEnhancedClient dynamo;
    private final DynamoDbTable<EventItem> events;
    private final DynamoDbTable<DeadLetterItem> deadLetters;
    private final Backoff backoff;
    private final ExecutorService writers;
    private final Counter written;
    private final Counter deadLettered;
    private final Counter retries;
    private final Counter refused;
    private final Timer latency;

    EventWriter(DynamoDbEnhancedClient dynamo, EventStoreProperties properties, MeterRegistry meters) {
        this.dynamo = dynamo;
        this.events = dynamo.table(properties.eventsTable(), EventItem.SCHEMA);
        this.deadLetters = dynamo.table(properties.deadLetterTable(), DeadLetterItem.SCHEMA);
        this.backoff = new Backoff(properties.retry().initialBackoff(), properties.retry().maxBackoff());
        this.writers = Executors.newFixedThreadPool(properties.writeConcurrency(), runnable -> {
            Thread thread = new Thread(runnable, "dynamodb-writer");
            thread.setDaemon(true);
            return thread;
        });
        this.written = Counter.builder("eventstore.events.written").register(meters);
        this.deadLettered = Counter.builder("eventstore.dead.letters").register(meters);
        this.retries = Counter.builder("eventstore.write.retries")
                .description("items or requests written again after DynamoDB did not take them").register(meters);
        this.refused = Counter.builder("eventstore.write.refused")
                .description("items DynamoDB refused for their data, dead-lettered").register(meters);
        this.latency = Timer.builder("eventstore.write.latency").description("time to store one write cycle")
                .register(meters);
    }

    DynamoDbTable<EventItem> events() {
        return events;
    }

    DynamoDbTable<DeadLetterItem> deadLetters() {
        return deadLetters;
    }

    /**
     * Stores the events, retrying transient failures for as long as it takes.
     *
     * @return the events DynamoDB refused for their data, with the reason; every other one is stored
     */
    List<Refusal<EventItem>> writeEvents(List<EventItem> items) {
        List<EventItem> unique = lastPerMessageId(items);
        List<Refusal<EventItem>> refusals = latency.record(() -> write(events, EventItem.class, unique));
        written.increment(unique.size() - refusals.size());
        refused.increment(refusals.size());
        return refusals;
    }

    /**
     * Stores the dead letters; returns only once every one is stored. One DynamoDB refuses is written again without
     * the record's bytes; should even that be refused (a misconfigured table), it is retried, holding the shard.
     */
    void writeDeadLetters(List<DeadLetterItem> items) {
        List<Refusal<DeadLetterItem>> refusals = write(deadLetters, DeadLetterItem.class, items);
        for (int attempt = 1; !refusals.isEmpty(); attempt++) {
            List<DeadLetterItem> bare = refusals.stream()
                    .map(refusal -> refusal.item().withoutData(refusal.reason())).toList();
            refusals = write(deadLetters, DeadLetterItem.class, bare);
            if (!refusals.isEmpty()) {
                log.error("Table {} refuses dead letters even without their data ({}, e.g. {}: {}); retrying, holding"
                        + " the shard", deadLetters.tableName(), refusals.size(), refusals.get(0).item().getId(),
                        refusals.get(0).reason());
                backoff.pause(attempt);
            }
        }
        deadLettered.increment(items.size());
    }

    /**
     * One item per message id, the later in stream order: the same event arrives twice when a client retries with
     * its own event id ({@code eid}) or a record is redelivered, and DynamoDB refuses a whole BatchWriteItem request
     * that names one key twice.
     */
    static List<EventItem> lastPerMessageId(List<EventItem> items) {
        Map<String, EventItem> byId = new LinkedHashMap<>();
        for (EventItem item : items) {
            byId.remove(item.getMessageId());
            byId.put(item.getMessageId(), item);
        }
        return byId.size() == items.size() ? items : List.copyOf(byId.values());
    }

    private <T> List<Refusal<T>> write(DynamoDbTable<T> table, Class<T> type, List<T> items) {
        List<Refusal<T>> refusals = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (int i = 0; i < items.size(); i += MAX_BATCH_ITEMS) {
            List<T> chunk = items.subList(i, Math.min(items.size(), i + MAX_BATCH_ITEMS));
            requests.add(CompletableFuture.runAsync(() -> writeChunk(table, type, chunk, refusals), writers));
        }
        try {
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        }
        catch (CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
        }
        return List.copyOf(refusals);
    }

    private <T> void writeChunk(DynamoDbTable<T> table, Class<T> type, List<T> items, List<Refusal<T>> refusals) {
        List<T> pending = items;
        for (int attempt = 1; ; attempt++) {
            try {
                pending = unprocessed(table, type, pending);
                if (pending.isEmpty()) {
                    return;
                }
                retries.increment(pending.size());
            }
            catch (RuntimeException ex) {
                if (DynamoDbFailures.isPermanent(ex)) {
                    bisect(table, type, pending, ex, refusals);
                    return;
                }
                retries.increment(pending.size());
                log.warn("Writing {} items to {} failed (attempt {}), retrying: {}", pending.size(), table.tableName(),
                        attempt, ex.getMessage());
            }
            backoff.pause(attempt);
        }
    }

    /** A request refused as a whole for its data: the refused items are among {@code items}; find them. */
    private <T> void bisect(DynamoDbTable<T> table, Class<T> type, List<T> items, RuntimeException failure,
            List<Refusal<T>> refusals) {
        if (items.size() == 1) {
            refusals.add(new Refusal<>(items.get(0), DynamoDbFailures.reason(failure)));
            return;
        }
        int half = items.size() / 2;
        writeChunk(table, type, items.subList(0, half), refusals);
        writeChunk(table, type, items.subList(half, items.size()), refusals);
    }

    /** One BatchWriteItem request; the items DynamoDB did not process. */
    private <T> List<T> unprocessed(DynamoDbTable<T> table, Class<T> type, List<T> items) {
        WriteBatch.Builder<T> batch = WriteBatch.builder(type).mappedTableResource(table);
        long now = System.currentTimeMillis();
        for (T item : items) {
            if (item instanceof EventItem event) {
                event.setStoredAt(now);
            }
            batch.addPutItem(item);
        }
        BatchWriteResult result = dynamo.batchWriteItem(request -> request.addWriteBatch(batch.build()));
        return result.unprocessedPutItemsForTable(table);
    }

    @Override
    public void destroy() {
        writers.shutdownNow();
    }
}
