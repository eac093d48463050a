package org.reactivetracking.tracking.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The records of an answered call, sorted: stored; to be put again (their {@code retryAt} set); or given up, and
 * why. A record whose call may have reached Kinesis is marked {@link Pending#uncertain uncertain} for good. No clock:
 * the time is given. Runs under the publisher's lock.
 */
record Triage(List<Pending> accepted, List<Pending> retried, List<Failure> failed) {

    /** A record given up for {@code reason}, the failure of its last try. */
    record Failure(Pending pending, Reason reason) {
    }

    /**
     * @param jitter one draw for the whole call, in [0, 1], so that its retried records go out together again
     */
    static Triage of(Batch batch, CallResult result, RetryPolicy retries, long now, double jitter) {
        Triage triage = new Triage(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < batch.carriers().size(); i++) {
            Reason failure = result.failure(i);
            for (Pending pending : batch.carriers().get(i).records()) {
                if (failure == null) {
                    triage.accepted.add(pending);
                    continue;
                }
                if (failure.mayBeStored() && pending.uncertain == null) {
                    pending.uncertain = failure;
                }
                OptionalLong retryAt = retries.retryAt(pending.attempts, now, pending.deadline, jitter);
                if (retryAt.isPresent()) {
                    pending.retryAt = retryAt.getAsLong();
                    triage.retried.add(pending);
                }
                else {
                    triage.failed.add(new Failure(pending, failure));
                }
            }
        }
        return triage;
    }
}
