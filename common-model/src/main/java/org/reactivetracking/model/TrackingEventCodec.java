package org.reactivetracking.model;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;

/**
 * Encodes {@link TrackingEvent}s as the protobuf {@code TrackingEvent} of the event stream and back.
 * Records written by older producers (fields 1-8 only) decode with {@code receivedAt == null} and an empty
 * trace header. A program's redirect allow-list is its configuration, not part of an event: it is not carried, and
 * decoded events allow no redirect.
 */
public final class TrackingEventCodec {

    private TrackingEventCodec() {
    }

    public static byte[] encode(TrackingEvent event) {
        Program program = event.program();
        var builder = org.reactivetracking.model.wire.TrackingEvent.newBuilder()
                .setMessageId(event.messageId())
                .setProgramid(program.programId())
                .setProgramName(program.programName())
                .setChecksum(program.checksum())
                .setCustomerId(program.customerId())
                .setCustomerName(program.customerName())
                .setIsValid(program.valid())
                .setUserAgent(event.userAgent())
                .setTraceHeader(event.traceHeader());
        if (event.receivedAt() != null) {
            builder.setReceivedAtEpochMillis(event.receivedAt().toEpochMilli());
        }
        return builder.build().toByteArray();
    }

    /**
     * Decodes one record.
     *
     * @throws InvalidRecordException when the bytes are not a protobuf {@code TrackingEvent}, carry no message id,
     *                                or no program id that follows {@link ProgramIds}
     */
    public static TrackingEvent decode(byte[] bytes) {
        org.reactivetracking.model.wire.TrackingEvent wire;
        try {
            wire = org.reactivetracking.model.wire.TrackingEvent.parseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex) {
            throw new InvalidRecordException("not a protobuf TrackingEvent: " + ex.getMessage(), ex);
        }
        if (wire.getMessageId().isBlank()) {
            throw new InvalidRecordException("TrackingEvent without message_id");
        }
        if (wire.getProgramid().isBlank()) {
            throw new InvalidRecordException("TrackingEvent without programid");
        }
        if (!ProgramIds.isValid(wire.getProgramid())) {
            throw new InvalidRecordException("TrackingEvent with an invalid programid: "
                    + ProgramIds.violation(wire.getProgramid()));
        }
        Program program = new Program(wire.getProgramid(), wire.getProgramName(), wire.getChecksum(),
                wire.getCustomerId(), wire.getCustomerName(), wire.getIsValid());
        Instant receivedAt = wire.getReceivedAtEpochMillis() == 0 ? null
                : Instant.ofEpochMilli(wire.getReceivedAtEpochMillis());
        return new TrackingEvent(wire.getMessageId(), program, wire.getUserAgent(), receivedAt,
                wire.getTraceHeader());
    }
}
