package org.reactivetracking.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One tracked event: a program looked up and enriched with the request's data.
 *
 * @param messageId   unique id of the event; the key under which it is stored, so redelivery is idempotent
 * @param program     the program the event was tracked for
 * @param userAgent   the request's {@code User-Agent}, empty when the request had none
 * @param receivedAt  when the tracking service received the request; {@code null} for records written by older
 *                    producers that did not carry it
 * @param traceHeader trace context of the originating request, empty when there was none
 */
public record TrackingEvent(String messageId, Program program, String userAgent, Instant receivedAt,
        String traceHeader) {

    public TrackingEvent {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(program, "program");
        userAgent = Objects.requireNonNullElse(userAgent, "");
        traceHeader = Objects.requireNonNullElse(traceHeader, "");
    }
}
