package org.reactivetracking.kinesis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * The listener of a Kinesis binding in the KCL's batch mode with manual checkpoints, around a {@link Handler}. The KCL
 * calls it on one thread per shard it holds, several shards at once.
 * <p>
 * It returns only once the batch is handled, never before. The binder's KCL adapter logs and swallows an exception
 * from a listener, the KCL goes on to the next batch, and the adapter itself checkpoints the last record delivered when
 * the shard ends or its lease is handed over gracefully: a batch the listener gave up on would be checkpointed past.
 * So a handler failure is logged and the same batch is handled again after a back-off, holding the shard, until it
 * succeeds (handlers dead-letter what can never succeed, so only an outage or a defect repeats), whatever else happens:
 * an interrupt (the KCL interrupts its threads on shutdown) is remembered, not obeyed, and the service stopping
 * meanwhile leaves the thread to die with the process, the batch not checkpointed; the next owner of the shard reads
 * it again. Handlers' writes are idempotent, so handling a batch again is harmless.
 * <p>
 * It publishes {@code <meterPrefix>.batch.in.progress.seconds}, how long the oldest batch in hand has been handled (0
 * when idle): a shard whose consumer stopped making progress shows as a growing value; and
 * {@code <meterPrefix>.shards.read}, the shards this instance polled in the last {@value #READ_WINDOW_SECONDS} s (the
 * binding asks the KCL for empty batches too, {@code empty-record-list: true}, so an idle shard counts): summed over
 * the instances, the shards being read.
 */
public final class BatchListener implements Consumer<Message<?>> {

    private static final Logger log = LoggerFactory.getLogger(BatchListener.class);
    private static final long READ_WINDOW_SECONDS = 30;

    /** Handles one batch; may checkpoint inside it, at record boundaries, through the batch. */
    @FunctionalInterface
    public interface Handler {

        void handle(KinesisBatch batch);
    }

    private final Handler handler;
    private final Backoff backoff;
    private final LongSupplier clock;
    /** When each thread took the batch in hand, epoch milliseconds. */
    private final Map<Thread, Long> startedAt = new ConcurrentHashMap<>();
    /** When each shard was last polled, epoch milliseconds. */
    private final Map<String, Long> polledAt = new ConcurrentHashMap<>();

    public BatchListener(Handler handler, Backoff backoff, MeterRegistry meters, String meterPrefix) {
        this(handler, backoff, meters, meterPrefix, System::currentTimeMillis);
    }

    BatchListener(Handler handler, Backoff backoff, MeterRegistry meters, String meterPrefix, LongSupplier clock) {
        this.handler = handler;
        this.backoff = backoff;
        this.clock = clock;
        Gauge.builder(meterPrefix + ".batch.in.progress.seconds", this, BatchListener::oldestBatchSeconds)
                .description("how long the oldest batch in hand has been handled; grows while a shard makes no"
                        + " progress")
                .register(meters);
        Gauge.builder(meterPrefix + ".shards.read", this, BatchListener::shardsRead)
                .description("shards this instance polled in the last " + READ_WINDOW_SECONDS + " s").register(meters);
    }

    private double oldestBatchSeconds() {
        long now = clock.getAsLong();
        return startedAt.values().stream().mapToLong(since -> now - since).max().orElse(0) / 1000.0;
    }

    private double shardsRead() {
        long since = clock.getAsLong() - READ_WINDOW_SECONDS * 1000;
        polledAt.values().removeIf(polled -> polled < since);
        return polledAt.size();
    }

    @Override
    public void accept(Message<?> message) {
        KinesisBatch batch = KinesisBatch.of(message);
        polledAt.put(batch.shardId(), clock.getAsLong());
        if (batch.records().isEmpty()) {
            // the KCL polled and found nothing new: nothing to handle or checkpoint
            return;
        }
        startedAt.put(Thread.currentThread(), clock.getAsLong());
        boolean interrupted = false;
        try {
            for (int attempt = 1; ; attempt++) {
                // an SDK call on an interrupted thread fails at once: clear the flag for the attempt
                interrupted |= Thread.interrupted();
                try {
                    handler.handle(batch);
                    break;
                }
                catch (RuntimeException ex) {
                    log.error("Handling {} failed (attempt {}); handling it again, holding the shard", batch, attempt,
                            ex);
                }
                interrupted |= backoff.pauseUninterruptibly(attempt);
            }
            batch.checkpoint();
        }
        finally {
            startedAt.remove(Thread.currentThread());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
