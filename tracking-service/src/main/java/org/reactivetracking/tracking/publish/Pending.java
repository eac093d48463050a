package org.reactivetracking.tracking.publish;

import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.reactivetracking.tracking.publish.PublishRejectedException.Outcome;

/**
 * A record a caller is waiting for. Times are {@code System.nanoTime()}-style instants of the publisher's clock. The
 * mutable fields change only under the publisher's lock.
 */
final class Pending {

    /** Earliest deadline first; among equal deadlines, first admitted first. */
    static final Comparator<Pending> BY_DEADLINE = Comparator.<Pending>comparingLong(pending -> pending.deadline)
            .thenComparingLong(pending -> pending.sequence);

    final String partitionKey;
    final byte[] data;
    /** Data and partition key, the bytes Kinesis counts. */
    final int size;
    final long admittedAt;
    /** The caller is answered by then. */
    final long deadline;
    /** The last moment a call may start: later, it could not complete by the deadline. */
    final long sendBy;
    final long sequence;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Where its caller is answered once accepted, or null: on the thread that learns it. */
    final Executor answerOn;

    /** Calls that carried it so far. */
    int attempts;
    /** When it is due to be put again after a failed try. */
    long retryAt;
    /** The first failure after which it may be on the stream, or {@code null}: its outcome is then unknown. */
    Reason uncertain;

    Pending(String partitionKey, byte[] data, int size, long admittedAt, long deadline, long sendBy, long sequence,
            Executor answerOn) {
        this.partitionKey = partitionKey;
        this.answerOn = answerOn;
        this.data = data;
        this.size = size;
        this.admittedAt = admittedAt;
        this.deadline = deadline;
        this.sendBy = sendBy;
        this.sequence = sequence;
    }

    /** The reason a give-up is counted under: the failure that made its outcome unknown, if any, else {@code cause}. */
    Reason reason(Reason cause) {
        return uncertain != null ? uncertain : cause;
    }

    /** What its caller is told when it is given up for {@code cause}; the message is for logs. */
    PublishRejectedException rejection(Reason cause, String stream, String detail, Duration retryAfter) {
        Outcome outcome = uncertain != null ? Outcome.UNKNOWN : Outcome.NOT_RECORDED;
        String message = "record " + partitionKey + " on " + stream + " " + outcome + " after " + attempts
                + " calls: " + cause.tag() + (uncertain == null ? "" : ", earlier " + uncertain.tag()) + " ("
                + detail + ")";
        return new PublishRejectedException(outcome, message, retryAfter);
    }
}
