package org.reactivetracking.eventstore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.BatchWriteResult;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;

/**
 * Writes events and dead letters to DynamoDB with BatchWriteItem: 25 items a request, a bounded number of requests
 * in parallel. Unprocessed items, throttling and outages are retried with exponential back-off and jitter until
 * they succeed: {@link #write} returns only once every item is durably stored, so the caller can checkpoint.
 */
@Component
class EventWriter implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    private static final int MAX_BATCH_ITEMS = 25;

    private final DynamoDbEnhancedClient dynamo;
    private final DynamoDbTable<EventItem> events;
    private final DynamoDbTable<DeadLetterItem> deadLetters;
    private final EventStoreProperties.Retry retry;
    private final ExecutorService writers;
    private final Counter written;
    private final Counter deadLettered;
    private final Counter retries;
    private final Timer latency;

    EventWriter(DynamoDbEnhancedClient dynamo, EventStoreProperties properties, MeterRegistry meters) {
        this.dynamo = dynamo;
        this.events = dynamo.table(properties.eventsTable(), TableSchema.fromBean(EventItem.class));
        this.deadLetters = dynamo.table(properties.deadLetterTable(), TableSchema.fromBean(DeadLetterItem.class));
        this.retry = properties.retry();
        this.writers = Executors.newFixedThreadPool(properties.writeConcurrency(), runnable -> {
            Thread thread = new Thread(runnable, "dynamodb-writer");
            thread.setDaemon(true);
            return thread;
        });
        this.written = Counter.builder("eventstore.events.written").register(meters);
        this.deadLettered = Counter.builder("eventstore.dead.letters").register(meters);
        this.retries = Counter.builder("eventstore.write.retries")
                .description("items or requests written again after DynamoDB did not take them").register(meters);
        this.latency = Timer.builder("eventstore.write.latency").description("time to store one batch of records")
                .register(meters);
    }

    DynamoDbTable<EventItem> events() {
        return events;
    }

    DynamoDbTable<DeadLetterItem> deadLetters() {
        return deadLetters;
    }

    /** Stores every item; returns once all are stored, retrying for as long as it takes. */
    void write(List<EventItem> eventItems, List<DeadLetterItem> deadLetterItems) {
        latency.record(() -> {
            List<CompletableFuture<Void>> requests = new ArrayList<>();
            chunks(eventItems).forEach(chunk -> requests.add(
                    CompletableFuture.runAsync(() -> writeChunk(events, EventItem.class, chunk), writers)));
            chunks(deadLetterItems).forEach(chunk -> requests.add(
                    CompletableFuture.runAsync(() -> writeChunk(deadLetters, DeadLetterItem.class, chunk), writers)));
            try {
                CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
            }
            catch (CompletionException ex) {
                throw ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
            }
        });
        written.increment(eventItems.size());
        deadLettered.increment(deadLetterItems.size());
    }

    private <T> void writeChunk(DynamoDbTable<T> table, Class<T> type, List<T> items) {
        List<T> pending = items;
        int attempt = 0;
        while (!pending.isEmpty()) {
            try {
                WriteBatch.Builder<T> batch = WriteBatch.builder(type).mappedTableResource(table);
                long now = System.currentTimeMillis();
                for (T item : pending) {
                    if (item instanceof EventItem event) {
                        event.setStoredAt(now);
                    }
                    batch.addPutItem(item);
                }
                BatchWriteResult result = dynamo.batchWriteItem(request -> request.addWriteBatch(batch.build()));
                pending = result.unprocessedPutItemsForTable(table);
                if (pending.isEmpty()) {
                    return;
                }
                retries.increment(pending.size());
            }
            catch (SdkException ex) {
                retries.increment(pending.size());
                log.warn("Writing {} items to {} failed (attempt {}), retrying: {}", pending.size(), table.tableName(),
                        attempt + 1, ex.getMessage());
            }
            backOff(++attempt);
        }
    }

    private void backOff(int attempt) {
        long cap = Math.min(retry.maxBackoff().toMillis(),
                retry.initialBackoff().toMillis() << Math.min(attempt - 1, 20));
        try {
            Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a DynamoDB write; the batch is not stored"
                    + " and will be delivered again", ex);
        }
    }

    private static <T> List<List<T>> chunks(List<T> items) {
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < items.size(); i += MAX_BATCH_ITEMS) {
            chunks.add(items.subList(i, Math.min(items.size(), i + MAX_BATCH_ITEMS)));
        }
        return chunks;
    }

    @Override
    public void destroy() {
        writers.shutdownNow();
    }
}
