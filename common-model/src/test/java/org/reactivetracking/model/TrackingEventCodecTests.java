package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrackingEventCodecTests {

    private final Program program = new Program("212313", "Summer sale", "8a1f", 42, "ACME", true);

    @Test
    void roundTripsEveryField() {
        TrackingEvent event = new TrackingEvent("m-1", program, "curl/8", Instant.ofEpochMilli(1_700_000_000_123L),
                "Root=1-5759e988-bd862e3fe1be46a994272793");

        assertThat(TrackingEventCodec.decode(TrackingEventCodec.encode(event))).isEqualTo(event);
    }

    @Test
    void readsRecordsOfOlderProducersWithFieldsOneToEightOnly() {
        byte[] legacy = org.reactivetracking.model.wire.TrackingEvent.newBuilder().setProgramid("212313")
                .setChecksum("8a1f").setCustomerId(42).setUserAgent("Mozilla").setProgramName("Summer sale")
                .setCustomerName("ACME").setIsValid(true).setMessageId("legacy-1").build().toByteArray();

        TrackingEvent event = TrackingEventCodec.decode(legacy);

        assertThat(event).isEqualTo(new TrackingEvent("legacy-1", program, "Mozilla", null, ""));
    }

    @Test
    void olderReadersSkipTheAppendedFields() throws Exception {
        byte[] bytes = TrackingEventCodec.encode(new TrackingEvent("m-2", program, "", Instant.now(), "trace"));

        var unknown = com.google.protobuf.UnknownFieldSet.parseFrom(bytes);

        assertThat(unknown.asMap().keySet()).containsExactlyInAnyOrder(1, 2, 3, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void rejectsBytesThatAreNotATrackingEvent() {
        assertThatThrownBy(() -> TrackingEventCodec.decode(new byte[] { (byte) 0xff, 0x01, 0x02 }))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("not a protobuf TrackingEvent");
    }

    @Test
    void rejectsAnEventWithoutMessageId() {
        byte[] bytes = org.reactivetracking.model.wire.TrackingEvent.newBuilder().setProgramid("1").build()
                .toByteArray();

        assertThatThrownBy(() -> TrackingEventCodec.decode(bytes)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("message_id");
    }

    @Test
    void rejectsAnEventWhoseProgramIdBreaksTheIdRule() {
        byte[] bytes = org.reactivetracking.model.wire.TrackingEvent.newBuilder().setMessageId("m-1")
                .setProgramid("212313:deleted").build().toByteArray();

        assertThatThrownBy(() -> TrackingEventCodec.decode(bytes)).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("invalid programid");
    }
}
