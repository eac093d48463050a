package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AggregatedRecordsTests {

    private final Program program = new Program("212313", "Summer sale", "8a1f", 42, "ACME", true);

    @Test
    void roundTripsUserRecordsInOrder() {
        List<byte[]> events = new ArrayList<>();
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer("pk-1");
        for (int i = 0; i < 300; i++) {
            byte[] event = TrackingEventCodec.encode(new TrackingEvent("m-" + i, program, "agent " + i,
                    Instant.ofEpochMilli(1_700_000_000_000L + i), ""));
            events.add(event);
            packer.add(event);
        }

        byte[] record = packer.toBytes();

        assertThat(AggregatedRecords.isAggregated(record)).isTrue();
        assertThat(AggregatedRecords.unpack(record)).containsExactlyElementsOf(events);
        assertThat(AggregatedRecords.unpack(record).get(299)).satisfies(
                data -> assertThat(TrackingEventCodec.decode(data).messageId()).isEqualTo("m-299"));
    }

    @Test
    void knowsTheRecordsExactSizeBeforeEachAddition() {
        String partitionKey = UUID.randomUUID().toString();
        AggregatedRecords.Packer packer = new AggregatedRecords.Packer(partitionKey);
        int keyBytes = partitionKey.getBytes(StandardCharsets.UTF_8).length;
        assertThat(packer.size()).isEqualTo(packer.toBytes().length + keyBytes);
        // lengths around the one- and two-byte varint boundaries
        for (int length : new int[] { 0, 1, 120, 127, 128, 200, 16_383, 16_384, 70_000 }) {
            int expected = packer.sizeWith(length);

            packer.add(new byte[length]);

            assertThat(packer.toBytes().length + keyBytes).as("after %d bytes", length).isEqualTo(expected);
            assertThat(packer.size()).isEqualTo(expected);
        }
        assertThat(packer.count()).isEqualTo(9);
    }

    @Test
    void aWrongDigestMakesTheWholeRecordInvalid() {
        byte[] record = new AggregatedRecords.Packer("pk").add(new byte[] { 1, 2, 3 }).add(new byte[] { 4 })
                .toBytes();
        record[record.length - 1] ^= 0x01;

        assertThat(AggregatedRecords.isAggregated(record)).isTrue();
        assertThatThrownBy(() -> AggregatedRecords.unpack(record)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("MD5");
    }

    @Test
    void aChangedPayloadNoLongerMatchesItsDigest() {
        byte[] record = new AggregatedRecords.Packer("pk").add("hello".getBytes(StandardCharsets.UTF_8)).toBytes();
        record[record.length - 17] ^= 0x20;

        assertThatThrownBy(() -> AggregatedRecords.unpack(record)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("MD5");
    }

    @Test
    void plainEventsAreNotAggregatedRecords() {
        byte[] plain = TrackingEventCodec.encode(new TrackingEvent("m-1", program, "curl/8", Instant.now(), ""));

        assertThat(AggregatedRecords.isAggregated(plain)).isFalse();
        assertThat(AggregatedRecords.isAggregated(new byte[] { (byte) 0xF3, (byte) 0x89, (byte) 0x9A })).isFalse();
        assertThatThrownBy(() -> AggregatedRecords.unpack(plain)).isInstanceOf(InvalidRecordException.class);
    }
}
