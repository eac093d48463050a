package org.reactivetracking.tracking.publish;

import java.util.List;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The Kinesis records of one PutRecords call.
 *
 * @param carriers the call's entries, in order
 * @param deadline the earliest deadline of the records it carries: the call must complete by then
 */
record Batch(List<Carrier> carriers, long deadline) {

    static Batch of(List<Carrier> carriers) {
        long deadline = carriers.stream().flatMap(carrier -> carrier.records().stream())
                .mapToLong(pending -> pending.deadline).min().orElseThrow();
        return new Batch(List.copyOf(carriers), deadline);
    }

    List<PutRecordsRequestEntry> entries() {
        return carriers.stream().map(Carrier::entry).toList();
    }

    List<Pending> records() {
        return carriers.stream().flatMap(carrier -> carrier.records().stream()).toList();
    }
}
