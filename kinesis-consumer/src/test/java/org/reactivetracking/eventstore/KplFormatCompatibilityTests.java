package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.AggregatedRecords;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.Messages;

/** Our aggregated records against the KCL's own reader and the KPL's own message classes, both ways. */
class KplFormatCompatibilityTests {

    @Test
    void theKclDeaggregatesWhatThePublisherPacks() {
        List<byte[]> userRecords = IntStream.range(0, 50)
                .mapToObj(i -> ("event " + i).getBytes(StandardCharsets.UTF_8)).toList();
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer("partition-key-1");
        userRecords.forEach(packer::add);

        List<KinesisClientRecord> read = new AggregatorUtil().deaggregate(List.of(kinesisRecord(packer.toBytes())));

        assertThat(read).hasSize(50).allSatisfy(record -> {
            assertThat(record.aggregated()).isTrue();
            assertThat(record.partitionKey()).isEqualTo("partition-key-1");
        });
        assertThat(read.stream().map(record -> bytes(record.data())).toList())
                .containsExactlyElementsOf(userRecords);
    }

    @Test
    void unpacksWhatTheKplWrites() throws Exception {
        Messages.AggregatedRecord.Builder aggregated = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("a").addPartitionKeyTable("b").addExplicitHashKeyTable("12345");
        for (int i = 0; i < 10; i++) {
            aggregated.addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(i % 2).setExplicitHashKeyIndex(0)
                    .setData(ByteString.copyFromUtf8("kpl " + i))
                    .addTags(Messages.Tag.newBuilder().setKey("k").setValue("v")));
        }
        byte[] protobuf = aggregated.build().toByteArray();
        byte[] digest = MessageDigest.getInstance("MD5").digest(protobuf);
        ByteBuffer record = ByteBuffer.allocate(AggregatorUtil.AGGREGATED_RECORD_MAGIC.length + protobuf.length
                + digest.length).put(AggregatorUtil.AGGREGATED_RECORD_MAGIC).put(protobuf).put(digest);

        List<byte[]> unpacked = AggregatedRecords.unpack(record.array());

        assertThat(unpacked).hasSize(10);
        assertThat(new String(unpacked.get(7), StandardCharsets.UTF_8)).isEqualTo("kpl 7");
    }

    private static KinesisClientRecord kinesisRecord(byte[] data) {
        return KinesisClientRecord.builder().data(ByteBuffer.wrap(data)).partitionKey("partition-key-1")
                .sequenceNumber("49590338271490256608559692538361571095921575989136588898")
                .approximateArrivalTimestamp(Instant.now()).build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
