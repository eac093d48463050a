package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RetryPolicyTests {

    private static final long MS = 1_000_000L;
    private final RetryPolicy policy = new RetryPolicy(20 * MS, 200 * MS, 100 * MS);

    @Test
    void backsOffExponentiallyBetweenHalfAndAllOfTheBackOff() {
        long far = 60_000 * MS;

        assertThat(policy.retryAt(1, 0, far, 0)).hasValue(10 * MS);
        assertThat(policy.retryAt(1, 0, far, 1)).hasValue(20 * MS);
        assertThat(policy.retryAt(2, 0, far, 1)).hasValue(40 * MS);
        assertThat(policy.retryAt(3, 5 * MS, far, 0.5)).hasValue(5 * MS + 40 * MS + 20 * MS);
    }

    @Test
    void capsTheBackOff() {
        assertThat(policy.retryAt(5, 0, 60_000 * MS, 1)).hasValue(200 * MS);
        assertThat(policy.retryAt(1000, 0, 60_000 * MS, 1)).hasValue(200 * MS);
    }

    @Test
    void givesUpWhenTheRetryWouldLeaveLessThanACallsTimeBeforeTheDeadline() {
        long retryAt = 20 * MS;

        assertThat(policy.retryAt(1, 0, retryAt + 100 * MS, 1)).hasValue(retryAt);
        assertThat(policy.retryAt(1, 0, retryAt + 100 * MS - 1, 1)).isEqualTo(OptionalLong.empty());
    }
}
