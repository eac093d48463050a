package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.awspring.cloud.kinesis.integration.Checkpointer;
import io.awspring.cloud.kinesis.integration.KinesisHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

/** The listener around a handler: a failing batch is handled again, and checkpointed only once it succeeded. */
class BatchListenerTests {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void handlesAFailedBatchAgainAndCheckpointsItOnlyAfterItSucceeded() {
        BatchListener listener = new BatchListener(batch -> {
            log.add("handle " + batch.records().size());
            if (log.size() < 3) {
                throw new IllegalStateException("the store is having a bad day");
            }
        }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), meters, "test");

        listener.accept(batch("1", "2"));

        assertThat(log).containsExactly("handle 2", "handle 2", "handle 2", "checkpoint");
        assertThat(meters.get("test.batch.in.progress.seconds").gauge().value()).isZero();
    }

    @Test
    void neitherRetriesNorCheckpointsWhenInterruptedBecauseTheServiceStops() {
        BatchListener listener = new BatchListener(batch -> {
            log.add("handle");
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing");
        }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), meters, "test");

        assertThatThrownBy(() -> listener.accept(batch("1"))).hasMessageContaining("interrupted");

        assertThat(log).containsExactly("handle");
    }

    @Test
    void reportsHowLongTheBatchInHandHasBeenHandled() {
        AtomicLong now = new AtomicLong(1_000_000);
        List<Double> seen = new CopyOnWriteArrayList<>();
        BatchListener listener = new BatchListener(batch -> {
            now.addAndGet(90_000);
            seen.add(meters.get("test.batch.in.progress.seconds").gauge().value());
        }, new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), meters, "test", now::get);

        assertThat(meters.get("test.batch.in.progress.seconds").gauge().value()).isZero();
        listener.accept(batch("1"));

        assertThat(seen).containsExactly(90.0);
        assertThat(meters.get("test.batch.in.progress.seconds").gauge().value()).isZero();
    }

    private Message<?> batch(String... sequenceNumbers) {
        List<Message<byte[]>> records = java.util.Arrays.stream(sequenceNumbers)
                .map(sequence -> MessageBuilder.withPayload(new byte[] { 1 })
                        .setHeader(KinesisHeaders.RECEIVED_SEQUENCE_NUMBER, sequence).build())
                .toList();
        return MessageBuilder.withPayload(records).setHeader(KinesisHeaders.CHECKPOINTER, new Checkpointer() {
            @Override
            public boolean checkpoint() {
                log.add("checkpoint");
                return true;
            }

            @Override
            public boolean checkpoint(String sequenceNumber) {
                log.add("checkpoint " + sequenceNumber);
                return true;
            }
        }).build();
    }
}
