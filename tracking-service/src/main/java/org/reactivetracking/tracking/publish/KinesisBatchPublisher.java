package org.reactivetracking.tracking.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.tracking.TrackingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Publishes records to one Kinesis stream in shared {@code PutRecords} calls.
 * <p>
 * Concurrent callers' records are gathered for up to {@code linger} (or until a batch is full: 500 records or
 * 5 MiB) and sent together, with a bounded number of calls in flight. Entries that Kinesis rejects (throttling,
 * internal errors) and whole calls that fail are retried, only those entries, with exponential back-off and jitter,
 * until the per-record deadline. Each caller's {@link Mono} completes when its own record is accepted, so nothing is
 * acknowledged that is not on the stream. The buffer is bounded in records and bytes: when it is full, new records
 * are refused at once with {@link PublishRejectedException} instead of piling up memory.
 * <p>
 * With {@link TrackingProperties.Aggregation aggregation} on, the records of a call are packed into aggregated
 * Kinesis records (the KPL format) of at most {@code maxRecordBytes}; a caller's record is accepted when the
 * aggregated record holding it is, and a rejected aggregated record is retried by putting its records again. The
 * aggregation's own linger and calls in flight apply then: fewer, fuller calls.
 * <p>
 * On shutdown it stops taking records, sends what it holds and waits for it, within the deadline.
 */
public final class KinesisBatchPublisher implements RecordPublisher, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KinesisBatchPublisher.class);

    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final TrackingProperties.Publisher settings;
    private final TrackingProperties.Aggregation aggregation;
    private final long maxBatchBytes;
    private final long lingerNanos;
    private final int maxInFlight;
    private final long maxBufferedBytes;
    private final ScheduledExecutorService scheduler;

    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedBytes;
    private int bufferedRecords;
    private long bufferedBytes;
    private int inFlight;
    private ScheduledFuture<?> lingerTimer;
    private boolean accepting = true;
    private volatile boolean running;
    private CompletableFuture<Void> drained;
    /** When a call last completed, or the buffer last went from empty to holding records: see {@link #wedged()}. */
    private volatile long progressAt = System.nanoTime();

    private final Counter accepted;
    private final Counter rejectedSaturated;
    private final Counter rejectedTimeout;
    private final Counter rejectedStopping;
    private final Counter retried;
    private final DistributionSummary batchSize;
    private final DistributionSummary recordsPerKinesisRecord;
    private final Timer putLatency;

    public KinesisBatchPublisher(KinesisAsyncClient kinesis, String stream, TrackingProperties.Publisher settings,
            TrackingProperties.Aggregation aggregation, MeterRegistry meters) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.settings = settings;
        this.aggregation = aggregation;
        this.lingerNanos = (aggregation.enabled() ? aggregation.linger() : settings.linger()).toNanos();
        this.maxInFlight = aggregation.enabled() ? aggregation.maxInFlightBatches() : settings.maxInFlightBatches();
        this.maxBatchBytes = settings.maxBatchBytes().toBytes();
        this.maxBufferedBytes = settings.maxBufferedBytes().toBytes();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kinesis-publisher-" + stream);
            thread.setDaemon(true);
            return thread;
        });
        accepted = Counter.builder("tracking.publisher.records").tag("stream", stream).tag("outcome", "accepted")
                .register(meters);
        rejectedSaturated = rejected(meters, "saturated");
        rejectedTimeout = rejected(meters, "timeout");
        rejectedStopping = rejected(meters, "stopping");
        retried = Counter.builder("tracking.publisher.retries").tag("stream", stream)
                .description("records put again after Kinesis rejected them or the call failed").register(meters);
        batchSize = DistributionSummary.builder("tracking.publisher.batch.size").tag("stream", stream)
                .description("Kinesis records per PutRecords call").register(meters);
        recordsPerKinesisRecord = DistributionSummary.builder("tracking.publisher.records.per.kinesis.record")
                .tag("stream", stream).description("published records per Kinesis record: above 1 when aggregating")
                .register(meters);
        putLatency = Timer.builder("tracking.publisher.put.latency").tag("stream", stream).register(meters);
        Gauge.builder("tracking.publisher.buffered.records", this, KinesisBatchPublisher::buffered)
                .tag("stream", stream).register(meters);
    }

    private Counter rejected(MeterRegistry meters, String reason) {
        return Counter.builder("tracking.publisher.records").tag("stream", stream).tag("outcome", "rejected")
                .tag("reason", reason).register(meters);
    }

    @Override
    public Mono<Void> publish(String partitionKey, byte[] data) {
        return Mono.defer(() -> Mono.fromFuture(offer(partitionKey, data), true));
    }

    /** Records buffered or in flight. */
    public int buffered() {
        synchronized (lock) {
            return bufferedRecords;
        }
    }

    /** {@code true} while the buffer is at least 90 % full: new records are about to be refused. */
    public boolean saturated() {
        synchronized (lock) {
            return bufferedRecords >= settings.maxBufferedRecords() * 0.9 || bufferedBytes >= maxBufferedBytes * 0.9;
        }
    }

    public String stream() {
        return stream;
    }

    /**
     * true when records are buffered and no PutRecords call has completed, succeeded or failed, for longer than
     * max(10 s, 3 × the publish timeout).
     */
    public boolean wedged() {
        long limit = Math.max(Duration.ofSeconds(10).toNanos(), 3 * settings.timeout().toNanos());
        return buffered() > 0 && System.nanoTime() - progressAt > limit;
    }

    private CompletableFuture<Void> offer(String partitionKey, byte[] data) {
        int size = data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        if (size > AggregatedRecords.MAX_KINESIS_RECORD_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "record of " + size + " bytes exceeds the Kinesis limit of 1 MiB"));
        }
        Pending pending = new Pending(partitionKey, data, size, System.nanoTime() + settings.timeout().toNanos());
        List<List<Carrier>> batches;
        synchronized (lock) {
            if (!accepting) {
                rejectedStopping.increment();
                return CompletableFuture.failedFuture(
                        new PublishRejectedException("the service is shutting down", settings.retryAfter()));
            }
            if (bufferedRecords + 1 > settings.maxBufferedRecords() || bufferedBytes + size > maxBufferedBytes) {
                rejectedSaturated.increment();
                return CompletableFuture.failedFuture(new PublishRejectedException(
                        "the stream " + stream + " is not keeping up; buffer full", settings.retryAfter()));
            }
            if (bufferedRecords == 0) {
                progressAt = System.nanoTime();
            }
            bufferedRecords++;
            bufferedBytes += size;
            enqueue(pending, false);
            batches = takeBatches(false);
            scheduleLinger();
        }
        send(batches);
        return pending.done;
    }

    private void enqueue(Pending pending, boolean first) {
        if (first) {
            queue.addFirst(pending);
        }
        else {
            queue.addLast(pending);
        }
        queuedBytes += pending.size;
    }

    /**
     * Under the lock: cuts batches while calls may be sent and a batch is full (or {@code force}). A batch is the
     * Kinesis records of one call, each carrying one queued record, or many when aggregating.
     */
    private List<List<Carrier>> takeBatches(boolean force) {
        List<List<Carrier>> batches = new ArrayList<>();
        while (inFlight < maxInFlight && !queue.isEmpty() && (force || batchFull())) {
            List<Carrier> batch = new ArrayList<>();
            long bytes = 0;
            Carrier open = null;
            while (!queue.isEmpty()) {
                Pending next = queue.peekFirst();
                int grown = open == null ? -1 : open.sizeWith(next);
                if (grown >= 0 && grown <= aggregation.maxRecordBytes().toBytes()
                        && bytes - open.size + grown <= maxBatchBytes) {
                    bytes += grown - open.size;
                    open.add(next);
                }
                else if (batch.size() < settings.maxBatchRecords() && bytes + next.size <= maxBatchBytes) {
                    open = new Carrier(next, aggregation.enabled());
                    bytes += open.size;
                    batch.add(open);
                }
                else {
                    break;
                }
                queue.pollFirst();
                queuedBytes -= next.size;
            }
            inFlight++;
            batches.add(batch);
        }
        return batches;
    }

    /** Under the lock: enough is queued to fill a call. */
    private boolean batchFull() {
        return queuedBytes >= maxBatchBytes || (!aggregation.enabled() && queue.size() >= settings.maxBatchRecords());
    }

    /** Under the lock: makes sure what is queued is sent at the latest {@code linger} from now. */
    private void scheduleLinger() {
        if (!queue.isEmpty() && lingerTimer == null) {
            lingerTimer = scheduler.schedule(this::lingerExpired, lingerNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void lingerExpired() {
        List<List<Carrier>> batches;
        synchronized (lock) {
            lingerTimer = null;
            batches = takeBatches(true);
            if (inFlight < maxInFlight) {
                scheduleLinger();
            }
            // else what is still queued goes out as soon as a call completes
        }
        send(batches);
    }

    private void send(List<List<Carrier>> batches) {
        for (List<Carrier> batch : batches) {
            List<PutRecordsRequestEntry> entries = batch.stream().map(Carrier::entry).toList();
            batchSize.record(entries.size());
            batch.forEach(carrier -> recordsPerKinesisRecord.record(carrier.records.size()));
            long started = System.nanoTime();
            CompletableFuture<PutRecordsResponse> call;
            try {
                call = kinesis.putRecords(request -> request.streamName(stream).records(entries));
            }
            catch (RuntimeException ex) {
                call = CompletableFuture.failedFuture(ex);
            }
            call.whenComplete((response, error) -> {
                progressAt = System.nanoTime();
                putLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                onResult(batch, response, error);
            });
        }
    }

    private void onResult(List<Carrier> batch, PutRecordsResponse response, Throwable error) {
        List<Pending> failed = new ArrayList<>();
        String reason;
        if (error != null) {
            batch.forEach(carrier -> failed.addAll(carrier.records));
            reason = error.getClass().getSimpleName() + ": " + error.getMessage();
        }
        else {
            reason = null;
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < batch.size(); i++) {
                PutRecordsResultEntry result = results.get(i);
                if (result.errorCode() == null) {
                    batch.get(i).records.forEach(this::complete);
                }
                else {
                    failed.addAll(batch.get(i).records);
                    reason = result.errorCode() + ": " + result.errorMessage();
                }
            }
        }
        if (!failed.isEmpty()) {
            retryOrFail(failed, reason);
        }
        List<List<Carrier>> batches;
        synchronized (lock) {
            inFlight--;
            Pending oldest = queue.peekFirst();
            boolean lingered = oldest != null
                    && System.nanoTime() - oldest.enqueuedAt >= lingerNanos;
            batches = takeBatches(lingered || !accepting);
            scheduleLinger();
        }
        send(batches);
    }

    private void retryOrFail(List<Pending> failed, String reason) {
        int attempts = failed.stream().mapToInt(pending -> ++pending.attempts).max().orElse(1);
        long backoff = backoffNanos(attempts);
        long retryAt = System.nanoTime() + backoff;
        List<Pending> retry = new ArrayList<>();
        for (Pending pending : failed) {
            if (retryAt - pending.deadline >= 0) {
                fail(pending, reason);
            }
            else {
                retry.add(pending);
            }
        }
        if (retry.isEmpty()) {
            return;
        }
        retried.increment(retry.size());
        log.debug("Retrying {} records on {} in {} ms after: {}", retry.size(), stream, backoff / 1_000_000, reason);
        scheduler.schedule(() -> requeue(retry), backoff, TimeUnit.NANOSECONDS);
    }

    private void requeue(List<Pending> retry) {
        List<List<Carrier>> batches;
        synchronized (lock) {
            for (int i = retry.size() - 1; i >= 0; i--) {
                enqueue(retry.get(i), true);
            }
            batches = takeBatches(true);
            scheduleLinger();
        }
        send(batches);
    }

    private long backoffNanos(int attempts) {
        long base = settings.retryBackoff().toNanos();
        long capped = Math.min(settings.maxRetryBackoff().toNanos(), base << Math.min(attempts - 1, 20));
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private void complete(Pending pending) {
        release(pending);
        accepted.increment();
        pending.done.complete(null);
    }

    private void fail(Pending pending, String reason) {
        release(pending);
        rejectedTimeout.increment();
        log.debug("Record not accepted by {} within {}: {}", stream, settings.timeout(), reason);
        pending.done.completeExceptionally(new PublishRejectedException(
                "the stream " + stream + " did not accept the record within " + settings.timeout() + " (" + reason
                        + ")", settings.retryAfter()));
    }

    private void release(Pending pending) {
        synchronized (lock) {
            bufferedRecords--;
            bufferedBytes -= pending.size;
            if (bufferedRecords == 0 && drained != null) {
                drained.complete(null);
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        CompletableFuture<Void> done;
        List<List<Carrier>> batches;
        synchronized (lock) {
            accepting = false;
            drained = new CompletableFuture<>();
            if (bufferedRecords == 0) {
                drained.complete(null);
            }
            done = drained;
            batches = takeBatches(true);
        }
        send(batches);
        try {
            done.get(settings.timeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception ex) {
            log.warn("Stopped with {} records not yet accepted by {}", buffered(), stream);
        }
        scheduler.shutdownNow();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server has finished its requests, so their records are still sent. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** A record a caller is waiting for. */
    private static final class Pending {

        final String partitionKey;
        final byte[] data;
        final int size;
        final long deadline;
        final long enqueuedAt = System.nanoTime();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int attempts;

        Pending(String partitionKey, byte[] data, int size, long deadline) {
            this.partitionKey = partitionKey;
            this.data = data;
            this.size = size;
            this.deadline = deadline;
        }
    }

    /**
     * One Kinesis record of a call: a single record as it is, or many packed into an aggregated record under the
     * first one's partition key.
     */
    private static final class Carrier {

        final List<Pending> records = new ArrayList<>();
        final AggregatedRecords.Packer packer;
        /** The Kinesis record's size, data and partition key. */
        int size;

        Carrier(Pending first, boolean aggregate) {
            records.add(first);
            size = first.size;
            packer = aggregate ? new AggregatedRecords.Packer(first.partitionKey).add(first.data) : null;
        }

        /** The size with {@code next} packed in too, or -1 when this carrier does not aggregate. */
        int sizeWith(Pending next) {
            return packer == null ? -1 : packer.sizeWith(next.data.length);
        }

        void add(Pending next) {
            packer.add(next.data);
            records.add(next);
            size = packer.size();
        }

        PutRecordsRequestEntry entry() {
            if (records.size() == 1) {
                Pending only = records.get(0);
                return PutRecordsRequestEntry.builder().partitionKey(only.partitionKey)
                        .data(SdkBytes.fromByteArrayUnsafe(only.data)).build();
            }
            return PutRecordsRequestEntry.builder().partitionKey(packer.partitionKey())
                    .data(SdkBytes.fromByteArrayUnsafe(packer.toBytes())).build();
        }
    }
}
