package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.awspring.cloud.kinesis.integration.KinesisHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.support.MessageBuilder;

class KinesisBatchTests {

    @Test
    void readsEachRecordWithItsPositionAndCheckpointsAtTheLast() {
        KclBatches batches = new KclBatches().plain("1", "a".getBytes()).userRecord("2", 0, "b".getBytes())
                .userRecord("2", 1, "c".getBytes());

        KinesisBatch read = batches.batch();

        assertThat(read.records()).extracting(KinesisBatch.Record::position).containsExactly("1", "2/0", "2/1");
        assertThat(read.records()).extracting(KinesisBatch.Record::subSequence).containsExactly(null, 0L, 1L);
        assertThat(read.records()).extracting(KinesisBatch.Record::shardId).containsOnly(KclBatches.SHARD);
        assertThat(read.records()).extracting(KinesisBatch.Record::stream).containsOnly(KclBatches.STREAM);
        assertThat(new String(read.records().get(2).data())).isEqualTo("c");
        assertThat(read.checkpoint()).isTrue();
        assertThat(batches.checkpoints).containsExactly("2/1");
    }

    @Test
    void checkpointsInsideTheBatchAtAUserRecord() {
        KclBatches batches = new KclBatches().userRecord("5", 0, "a".getBytes()).userRecord("5", 1, "b".getBytes())
                .plain("6", "c".getBytes());
        KinesisBatch read = batches.batch();

        assertThat(read.checkpoint(read.records().get(0))).isTrue();
        assertThat(read.checkpoint(read.records().get(2))).isTrue();

        assertThat(batches.checkpoints).containsExactly("5/0", "6/0");
    }

    @Test
    void namesTheBindingSettingsWhenTheMessageIsNotAKclBatch() {
        assertThatThrownBy(() -> KinesisBatch.of(MessageBuilder.withPayload("single".getBytes()).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("kpl-kcl-enabled: true")
                .hasMessageContaining("listener-mode: batch");
        // the records as the adapter hands them without native decoding: bytes, not the KCL's records
        assertThatThrownBy(() -> KinesisBatch.of(MessageBuilder.withPayload(List.of("a".getBytes()))
                .setHeader(KinesisHeaders.CHECKPOINTER, new KclBatches().message().getHeaders()
                        .get(KinesisHeaders.CHECKPOINTER)).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("use-native-decoding: true");
    }
}
