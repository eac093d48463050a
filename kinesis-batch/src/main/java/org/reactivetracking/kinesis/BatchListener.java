package org.reactivetracking.kinesis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * The listener of a Kinesis binding in batch mode with manual checkpoints, around a {@link Handler}. It never
 * throws for a batch: the binder would log and swallow the exception, and the next batch's checkpoint would move past
 * the failed one. A handler failure is logged and the same batch is handled again after a back-off, holding the
 * shard, until it succeeds (handlers dead-letter what can never succeed, so only an outage or a defect repeats); the
 * batch is checkpointed only then. Handlers' writes are idempotent, so handling a batch again is harmless.
 * <p>
 * It publishes {@code <meterPrefix>.batch.in.progress.seconds}, how long the current batch has been in hand (0 when
 * idle): a consumer that stopped making progress shows as a growing value.
 */
public final class BatchListener implements Consumer<Message<?>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchListener.class);

    /** Handles one batch; may checkpoint inside it, at record boundaries, through the batch. */
    @FunctionalInterface
    public interface Handler {

        void handle(KinesisBatch batch);
    }

    private final Handler handler;
    private final Backoff backoff;
    private final LongSupplier clock;
    /** When the batch in hand was taken, epoch milliseconds; -1 while idle. */
    private final AtomicLong startedAt = new AtomicLong(-1);
    private volatile boolean closed;

    public BatchListener(Handler handler, Backoff backoff, MeterRegistry meters, String meterPrefix) {
        this(handler, backoff, meters, meterPrefix, System::currentTimeMillis);
    }

    BatchListener(Handler handler, Backoff backoff, MeterRegistry meters, String meterPrefix, LongSupplier clock) {
        this.handler = handler;
        this.backoff = backoff;
        this.clock = clock;
        Gauge.builder(meterPrefix + ".batch.in.progress.seconds", startedAt, started -> {
            long since = started.get();
            return since < 0 ? 0 : (clock.getAsLong() - since) / 1000.0;
        }).description("how long the batch in hand has been handled; grows while a consumer makes no progress")
                .register(meters);
    }

    @Override
    public void accept(Message<?> message) {
        KinesisBatch batch = KinesisBatch.of(message);
        startedAt.set(clock.getAsLong());
        try {
            handleUntilDone(batch);
            if (!batch.checkpoint()) {
                log.debug("Checkpoint not stored (the shard's lease moved on); the batch may be delivered again");
            }
        }
        finally {
            startedAt.set(-1);
        }
    }

    /** The service is stopping: a batch that fails now is left to be delivered again instead of retried. */
    @Override
    public void close() {
        closed = true;
    }

    private void handleUntilDone(KinesisBatch batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(batch);
                return;
            }
            catch (RuntimeException ex) {
                if (closed || Thread.currentThread().isInterrupted()) {
                    // stopping: the batch is not checkpointed, so the stream delivers it again
                    throw ex;
                }
                log.error("Handling {} failed (attempt {}); handling it again, holding the shard", batch, attempt, ex);
            }
            backoff.pause(attempt);
        }
    }
}
