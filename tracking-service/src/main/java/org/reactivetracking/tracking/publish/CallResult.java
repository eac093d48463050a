package org.reactivetracking.tracking.publish;

import java.util.Arrays;

/** What one PutRecords call did with each of its entries. */
final class CallResult {

    private final Reason[] failures;
    private final String detail;

    private CallResult(Reason[] failures, String detail) {
        this.failures = failures;
        this.detail = detail;
    }

    /** Kinesis answered: {@code failures[i]} is why entry {@code i} was refused, {@code null} when it was stored. */
    static CallResult answered(Reason[] failures, String detail) {
        return new CallResult(failures.clone(), detail);
    }

    /** No answer for any entry: the whole call failed for {@code reason}. */
    static CallResult failed(int entries, Reason reason, String detail) {
        Reason[] failures = new Reason[entries];
        Arrays.fill(failures, reason);
        return new CallResult(failures, detail);
    }

    /** Why entry {@code entry} is not stored, or {@code null} when Kinesis stored it. */
    Reason failure(int entry) {
        return failures[entry];
    }

    /** What went wrong, as Kinesis or the client said it, for logs: it may name the account, stream and shard. */
    String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return Arrays.toString(failures) + " " + detail;
    }
}
