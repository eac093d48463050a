package org.reactivetracking.tracking.publish;

import java.time.Duration;

/**
 * A record the stream did not confirm. {@link #outcome()} says whether it is certainly not on the stream, or may be;
 * {@link #retryAfter()} when the client may try again. The message is for logs only: it may name the stream and
 * carry what Kinesis answered.
 */
public class PublishRejectedException extends RuntimeException {

    /** What became of the record. */
    public enum Outcome {

        /** Not on the stream: refused before it was sent, never sent, or every try refused by Kinesis. */
        NOT_RECORDED,
        /** Perhaps on the stream: a call that carried it failed or timed out after it may have reached Kinesis. */
        UNKNOWN
    }

    private final Outcome outcome;
    private final Duration retryAfter;

    /**
     * @param retryAfter when the client may try again, or {@code null} when trying the same record again cannot
     *                   succeed
     */
    public PublishRejectedException(Outcome outcome, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.outcome = outcome;
        this.retryAfter = retryAfter;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** When the client may try again, or {@code null} when trying the same record again cannot succeed. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
