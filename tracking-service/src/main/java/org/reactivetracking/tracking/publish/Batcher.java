package org.reactivetracking.tracking.publish;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.reactivetracking.tracking.TrackingProperties;

/**
 * The records waiting to be sent, and how they are cut into calls. Queued records go earliest deadline first; a
 * record is due once it has waited {@code linger} for others to share its call, or at once when a call would be
 * full: {@code maxBatchRecords} Kinesis records or {@code maxBatchBytes}. A Kinesis record carries one record, or,
 * when aggregating, as many as fit in {@code maxRecordBytes}. Records put again after a failure wait out their
 * back-off here too. No clock: the time is given. Not thread-safe.
 */
final class Batcher {

    /** Records dropped because they could no longer be sent in time, and the calls cut. */
    record Cut(List<Pending> expired, List<Batch> batches) {
    }

    private final int maxBatchRecords;
    private final long maxBatchBytes;
    private final boolean aggregate;
    private final long maxRecordBytes;
    private final long lingerNanos;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>(Pending.BY_DEADLINE);
    private final PriorityQueue<Pending> backingOff = new PriorityQueue<>(
            Comparator.<Pending>comparingLong(pending -> pending.retryAt).thenComparing(Pending.BY_DEADLINE));
    private long queuedBytes;

    Batcher(int maxBatchRecords, long maxBatchBytes, boolean aggregate, long maxRecordBytes, long lingerNanos) {
        this.maxBatchRecords = maxBatchRecords;
        this.maxBatchBytes = maxBatchBytes;
        this.aggregate = aggregate;
        this.maxRecordBytes = maxRecordBytes;
        this.lingerNanos = lingerNanos;
    }

    /** The update stream never aggregates; the event stream does when aggregation is on, with its own linger. */
    static Batcher of(TrackingProperties.Publisher settings, TrackingProperties.Aggregation aggregation) {
        return new Batcher(settings.maxBatchRecords(), settings.maxBatchBytes().toBytes(), aggregation.enabled(),
                aggregation.maxRecordBytes().toBytes(),
                (aggregation.enabled() ? aggregation.linger() : settings.linger()).toNanos());
    }

    /** Queues a record no larger than {@code maxBatchBytes}. */
    void add(Pending pending) {
        queue.add(pending);
        queuedBytes += pending.size;
    }

    /** Queues a record again at its {@code retryAt}, after a failed try. */
    void backOff(Pending pending) {
        backingOff.add(pending);
    }

    /** Empties the queue and the back-off. */
    List<Pending> removeAll() {
        List<Pending> all = new ArrayList<>(queue);
        all.addAll(backingOff);
        queue.clear();
        backingOff.clear();
        queuedBytes = 0;
        return all;
    }

    /**
     * At {@code now}: queues the records whose back-off is over, drops those that can no longer be sent in time,
     * and cuts up to {@code maxBatches} calls: full ones, and everything when the oldest record is due or on
     * {@code flush}.
     */
    Cut cut(long now, int maxBatches, boolean flush) {
        while (!backingOff.isEmpty() && backingOff.peek().retryAt <= now) {
            add(backingOff.poll());
        }
        List<Pending> expired = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().sendBy <= now) {
            expired.add(take());
        }
        // the queued record with the earliest deadline is also the one admitted first
        boolean due = flush || (!queue.isEmpty() && queue.peek().admittedAt + lingerNanos <= now);
        List<Batch> batches = new ArrayList<>();
        while (batches.size() < maxBatches && !queue.isEmpty() && (due || full())) {
            batches.add(nextBatch());
        }
        return new Cut(expired, batches);
    }

    /**
     * When something is next due after {@code now}: a back-off ends, a record expires, or the oldest record's linger
     * ends; {@code Long.MAX_VALUE} when nothing waits. What is due already and was not cut waits for a call slot.
     */
    long nextDue(long now) {
        long next = backingOff.isEmpty() ? Long.MAX_VALUE : backingOff.peek().retryAt;
        Pending first = queue.peek();
        if (first != null) {
            next = Math.min(next, first.sendBy);
            if (first.admittedAt + lingerNanos > now) {
                next = Math.min(next, first.admittedAt + lingerNanos);
            }
        }
        return next;
    }

    /** Enough is queued to fill a call. */
    private boolean full() {
        return queuedBytes >= maxBatchBytes || (!aggregate && queue.size() >= maxBatchRecords);
    }

    private Batch nextBatch() {
        List<Carrier> carriers = new ArrayList<>();
        long bytes = 0;
        Carrier open = null;
        while (!queue.isEmpty()) {
            Pending next = queue.peek();
            int grown = open == null ? -1 : open.sizeWith(next);
            if (grown >= 0 && grown <= maxRecordBytes && bytes - open.size() + grown <= maxBatchBytes) {
                bytes += grown - open.size();
                open.add(next);
            }
            else if (carriers.size() < maxBatchRecords && bytes + next.size <= maxBatchBytes) {
                open = new Carrier(next, aggregate);
                bytes += open.size();
                carriers.add(open);
            }
            else {
                break;
            }
            take();
        }
        return Batch.of(carriers);
    }

    private Pending take() {
        Pending taken = queue.poll();
        queuedBytes -= taken.size;
        return taken;
    }
}
