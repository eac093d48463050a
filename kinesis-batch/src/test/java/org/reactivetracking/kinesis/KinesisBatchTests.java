package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.awspring.cloud.kinesis.integration.Checkpointer;
import io.awspring.cloud.kinesis.integration.KinesisHeaders;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

class KinesisBatchTests {

    @Test
    void readsEachRecordWithItsPosition() {
        AtomicInteger checkpoints = new AtomicInteger();
        Message<List<Message<byte[]>>> batch = MessageBuilder.withPayload(List.of(
                        record("a", "1"), record("b", "2")))
                .setHeader(KinesisHeaders.CHECKPOINTER, checkpointer(checkpoints))
                .setHeader(KinesisHeaders.RECEIVED_STREAM, "events").setHeader(KinesisHeaders.SHARD, "shard-0")
                .build();

        KinesisBatch read = KinesisBatch.of(batch);

        assertThat(read.records()).extracting(KinesisBatch.Record::sequenceNumber).containsExactly("1", "2");
        assertThat(read.records()).extracting(KinesisBatch.Record::shardId).containsOnly("shard-0");
        assertThat(read.records()).extracting(KinesisBatch.Record::stream).containsOnly("events");
        assertThat(new String(read.records().get(1).data())).isEqualTo("b");
        assertThat(read.checkpoint()).isTrue();
        assertThat(checkpoints).hasValue(1);
    }

    @Test
    void takesPositionsFromTheBatchHeadersWhenRecordsAreRawBytes() {
        Message<List<byte[]>> batch = MessageBuilder.withPayload(List.of("a".getBytes(), "b".getBytes()))
                .setHeader(KinesisHeaders.CHECKPOINTER, checkpointer(new AtomicInteger()))
                .setHeader(KinesisHeaders.RECEIVED_SEQUENCE_NUMBER, List.of("7", "8")).build();

        assertThat(KinesisBatch.of(batch).records()).extracting(KinesisBatch.Record::sequenceNumber)
                .containsExactly("7", "8");
    }

    @Test
    void namesTheBindingSettingsWhenTheMessageIsNotABatch() {
        assertThatThrownBy(() -> KinesisBatch.of(MessageBuilder.withPayload("single".getBytes()).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("listener-mode: batch");
    }

    private static Message<byte[]> record(String data, String sequence) {
        return MessageBuilder.withPayload(data.getBytes()).setHeader(KinesisHeaders.RECEIVED_SEQUENCE_NUMBER, sequence)
                .build();
    }

    private static Checkpointer checkpointer(AtomicInteger calls) {
        return new Checkpointer() {
            @Override
            public boolean checkpoint() {
                calls.incrementAndGet();
                return true;
            }

            @Override
            public boolean checkpoint(String sequenceNumber) {
                calls.incrementAndGet();
                return true;
            }
        };
    }
}
