package org.reactivetracking.tracking.publish;

import java.time.Duration;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.tracking.TrackingProperties;
import org.reactivetracking.tracking.publish.PublishRejectedException.Outcome;

/**
 * Accounts for the records held, queued or in flight, in records and bytes, and decides whether one more may come
 * in. Not thread-safe: the publisher calls it under its lock.
 */
final class Admission {

    private final int maxRecords;
    private final long maxBytes;
    private final int maxRecordBytes;
    private int records;
    private long bytes;
    private boolean open = true;

    /**
     * @param maxRecordBytes the largest record taken: data and partition key, at most what one Kinesis record (and
     *                       one call) may hold
     */
    Admission(int maxRecords, long maxBytes, int maxRecordBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Bounded as configured; a record may take up to one Kinesis record, and no more than one call. */
    static Admission of(TrackingProperties.Publisher settings) {
        return new Admission(settings.maxBufferedRecords(), settings.maxBufferedBytes().toBytes(),
                (int) Math.min(AggregatedRecords.MAX_KINESIS_RECORD_BYTES, settings.maxBatchBytes().toBytes()));
    }

    /** Why a record of {@code size} bytes cannot come in now, or {@code null} when it can. */
    Reason refusal(int size) {
        if (size > maxRecordBytes) {
            return Reason.OVERSIZE;
        }
        if (!open) {
            return Reason.STOPPING;
        }
        if (records + 1 > maxRecords || bytes + size > maxBytes) {
            return Reason.SATURATED;
        }
        return null;
    }

    /** What a caller refused for {@code refusal} is told; the message is for logs. */
    static PublishRejectedException rejection(Reason refusal, int size, String stream, Duration retryAfter) {
        return switch (refusal) {
            case OVERSIZE -> new PublishRejectedException(Outcome.NOT_RECORDED, "a record of " + size
                    + " bytes is larger than one Kinesis record or call may be", null);
            case STOPPING -> new PublishRejectedException(Outcome.NOT_RECORDED, "the service is shutting down",
                    retryAfter);
            default -> new PublishRejectedException(Outcome.NOT_RECORDED,
                    "the stream " + stream + " is not keeping up; buffer full", retryAfter);
        };
    }

    /** Takes a record that {@link #refusal} let in. */
    void admit(int size) {
        records++;
        bytes += size;
    }

    /** Forgets a record that was answered. */
    void release(int size) {
        records--;
        bytes -= size;
    }

    /** Takes no more records. */
    void close() {
        open = false;
    }

    /** Takes records again (a stopped publisher started again). */
    void open() {
        open = true;
    }

    boolean isOpen() {
        return open;
    }

    int records() {
        return records;
    }

    /** At least 90 % full in records or bytes: new records are about to be refused. */
    boolean saturated() {
        return records >= maxRecords * 0.9 || bytes >= maxBytes * 0.9;
    }
}
