package org.reactivetracking.tracking.publish;

import java.util.OptionalLong;
import org.reactivetracking.tracking.TrackingProperties;

/**
 * When a record is put again after a failed try: exponential back-off from {@code baseNanos}, capped at
 * {@code maxNanos}, with jitter between half and all of it, so that callers throttled together do not come back
 * together; and never when the call could then not get {@code minCallNanos} before the record's deadline.
 */
record RetryPolicy(long baseNanos, long maxNanos, long minCallNanos) {

    static RetryPolicy of(TrackingProperties.Publisher settings) {
        return new RetryPolicy(settings.retryBackoff().toNanos(), settings.maxRetryBackoff().toNanos(),
                settings.minCallTime().toNanos());
    }

    /**
     * @param attempts calls that carried the record so far (at least 1)
     * @param now      when the last one failed
     * @param jitter   a number in [0, 1]: 0 waits half the back-off, 1 all of it
     * @return when to put it again, or empty to give up
     */
    OptionalLong retryAt(int attempts, long now, long deadline, double jitter) {
        long backoff = Math.min(maxNanos, baseNanos << Math.min(attempts - 1, 20));
        long at = now + backoff / 2 + (long) (backoff / 2 * jitter);
        return deadline - at >= minCallNanos ? OptionalLong.of(at) : OptionalLong.empty();
    }
}
