package org.reactivetracking.tracking.event;

import java.time.Instant;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;

/** The tracked event as answered to the client. */
record EventResponse(String messageId, String programId, String programName, String checksum, int customerId,
        String customerName, boolean valid, String userAgent, Instant receivedAt, String traceHeader) {

    static EventResponse of(TrackingEvent event) {
        Program program = event.program();
        return new EventResponse(event.messageId(), program.programId(), program.programName(), program.checksum(),
                program.customerId(), program.customerName(), program.valid(), event.userAgent(),
                event.receivedAt(), event.traceHeader());
    }
}
