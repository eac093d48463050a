package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.reactivetracking.tracking.publish.Fixtures.pending;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reactivetracking.tracking.publish.PublishRejectedException.Outcome;

/** Sorting the records of an answered call. */
class TriageTests {

    private static final long T0 = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private final RetryPolicy retries = new RetryPolicy(20 * MS, 200 * MS, 200 * MS);

    @Test
    void putsAgainOnlyTheEntriesKinesisRefused() {
        Pending a = sent(pending("a", "a", T0));
        Pending b = sent(pending("b", "b", T0));
        Pending c = sent(pending("c", "c", T0));
        Batch batch = Batch.of(List.of(new Carrier(a, false), new Carrier(b, false), new Carrier(c, false)));

        Triage triage = Triage.of(batch, CallResult.answered(new Reason[] { null, Reason.THROTTLED, null }, "slow"),
                retries, T0 + 10 * MS, 1);

        assertThat(triage.accepted()).containsExactly(a, c);
        assertThat(triage.retried()).containsExactly(b);
        assertThat(b.retryAt).isEqualTo(T0 + 30 * MS);
        assertThat(triage.failed()).isEmpty();
        assertThat(b.uncertain).isNull();
    }

    @Test
    void putsAgainEveryRecordOfARefusedAggregatedRecord() {
        Carrier refused = new Carrier(sent(pending("k1", "e1", T0)), true);
        refused.add(sent(pending("k2", "e2", T0)));
        Carrier stored = new Carrier(sent(pending("k3", "e3", T0)), true);
        Batch batch = Batch.of(List.of(refused, stored));

        Triage triage = Triage.of(batch, CallResult.answered(new Reason[] { Reason.REFUSED, null }, "internal"),
                retries, T0, 0);

        assertThat(triage.retried()).containsExactlyElementsOf(refused.records());
        assertThat(triage.accepted()).containsExactlyElementsOf(stored.records());
    }

    @Test
    void givesUpARefusedRecordWithoutTimeLeftAsNotRecorded() {
        Pending late = sent(pending("late", "r", T0));

        Triage triage = Triage.of(Batch.of(List.of(new Carrier(late, false))),
                CallResult.answered(new Reason[] { Reason.THROTTLED }, "slow"), retries, late.sendBy, 0);

        assertThat(triage.failed()).containsExactly(new Triage.Failure(late, Reason.THROTTLED));
        assertThat(late.rejection(Reason.THROTTLED, "events", "slow", Duration.ofSeconds(1)).outcome())
                .isEqualTo(Outcome.NOT_RECORDED);
    }

    @Test
    void remembersThatACallWhichMayHaveReachedKinesisLeavesTheOutcomeUnknown() {
        Pending record = sent(pending("k", "r", T0));
        Batch batch = Batch.of(List.of(new Carrier(record, false)));

        Triage first = Triage.of(batch, CallResult.failed(1, Reason.TIMEOUT, "no answer"), retries, T0 + 500 * MS, 0);
        record.attempts++;
        Triage last = Triage.of(batch, CallResult.answered(new Reason[] { Reason.THROTTLED }, "slow"), retries,
                record.sendBy, 0);

        assertThat(first.retried()).containsExactly(record);
        assertThat(last.failed()).containsExactly(new Triage.Failure(record, Reason.THROTTLED));
        assertThat(record.reason(Reason.THROTTLED)).isEqualTo(Reason.TIMEOUT);
        assertThat(record.rejection(Reason.THROTTLED, "events", "slow", Duration.ofSeconds(1)).outcome())
                .isEqualTo(Outcome.UNKNOWN);
    }

    private static Pending sent(Pending pending) {
        pending.attempts++;
        return pending;
    }
}
