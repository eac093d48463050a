package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listener around a handler: a failing batch is handled again, and checkpointed only once it succeeded, whatever
 * interrupts it (the binder's KCL adapter would checkpoint past a batch the listener gave up on).
 */
class BatchListenerTests {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final KclBatches batches = new KclBatches().plain("1", new byte[] { 1 }).plain("2", new byte[] { 2 });

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void handlesAFailedBatchAgainAndCheckpointsItOnlyAfterItSucceeded() {
        BatchListener listener = new BatchListener(batch -> {
            log.add("handle " + batch.records().size() + " after " + batches.checkpoints);
            if (log.size() < 3) {
                throw new IllegalStateException("the store is having a bad day");
            }
        }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), meters, "test");

        listener.accept(batches.message());

        assertThat(log).containsExactly("handle 2 after []", "handle 2 after []", "handle 2 after []");
        assertThat(batches.checkpoints).containsExactly("2/0");
        assertThat(meters.get("test.batch.in.progress.seconds").gauge().value()).isZero();
    }

    @Test
    void keepsHandlingTheBatchWhenInterruptedAndTellsTheCallerAfterwards() {
        BatchListener listener = new BatchListener(batch -> {
            log.add("handle, interrupted: " + Thread.currentThread().isInterrupted());
            if (log.size() < 3) {
                // as the KCL's executor does on shutdown, in the middle of a write
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing");
            }
        }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), meters, "test");

        listener.accept(batches.message());

        assertThat(log).containsExactly("handle, interrupted: false", "handle, interrupted: false",
                "handle, interrupted: false");
        assertThat(batches.checkpoints).containsExactly("2/0");
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt, restored").isTrue();
    }

    @Test
    void reportsHowLongTheOldestBatchInHandHasBeenHandled() {
        AtomicLong now = new AtomicLong(1_000_000);
        List<Double> seen = new CopyOnWriteArrayList<>();
        BatchListener listener = new BatchListener(batch -> {
            now.addAndGet(90_000);
            seen.add(meters.get("test.batch.in.progress.seconds").gauge().value());
        }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), meters, "test", now::get);

        assertThat(meters.get("test.batch.in.progress.seconds").gauge().value()).isZero();
        listener.accept(batches.message());

        assertThat(seen).containsExactly(90.0);
        assertThat(meters.get("test.batch.in.progress.seconds").gauge().value()).isZero();
    }

    @Test
    void countsTheShardsItPolledEmptyOrNotWithoutHandlingAnEmptyBatch() {
        AtomicLong now = new AtomicLong(1_000_000);
        BatchListener listener = new BatchListener(batch -> log.add("handle " + batch.records().size()),
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), meters, "test", now::get);
        KclBatches empty = new KclBatches();

        listener.accept(empty.message());

        assertThat(log).as("an empty poll is not handled").isEmpty();
        assertThat(empty.checkpoints).isEmpty();
        assertThat(meters.get("test.shards.read").gauge().value()).isEqualTo(1.0);
        now.addAndGet(29_000);
        assertThat(meters.get("test.shards.read").gauge().value()).as("polled 29 s ago").isEqualTo(1.0);
        now.addAndGet(2_000);
        assertThat(meters.get("test.shards.read").gauge().value()).as("not polled for 31 s").isZero();
        listener.accept(batches.message());
        assertThat(log).containsExactly("handle 2");
        assertThat(meters.get("test.shards.read").gauge().value()).isEqualTo(1.0);
    }
}
