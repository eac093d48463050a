package org.reactivetracking.tracking.publish;

import java.time.Duration;

/**
 * A record that was not accepted by the stream: the publisher was saturated, stopping, or the stream did not accept
 * the record in time. The record is not on the stream; the client may retry after {@link #retryAfter()}.
 */
public class PublishRejectedException extends RuntimeException {

    private final Duration retryAfter;

    public PublishRejectedException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
