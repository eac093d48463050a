package org.reactivetracking.tracking.publish;

import java.util.ArrayList;
import java.util.List;
import org.reactivetracking.model.AggregatedRecords;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * One Kinesis record of a call: a single record as it is, or many packed into an aggregated record under the first
 * one's partition key.
 */
final class Carrier {

    private final List<Pending> records = new ArrayList<>();
    private final AggregatedRecords.Packer packer;
    private int size;

    Carrier(Pending first, boolean aggregate) {
        records.add(first);
        size = first.size;
        packer = aggregate ? new AggregatedRecords.Packer(first.partitionKey).add(first.data) : null;
    }

    /** The Kinesis record's size with {@code next} packed in too, or -1 when this carrier does not aggregate. */
    int sizeWith(Pending next) {
        return packer == null ? -1 : packer.sizeWith(next.data.length);
    }

    void add(Pending next) {
        packer.add(next.data);
        records.add(next);
        size = packer.size();
    }

    /** The Kinesis record's size: data and partition key. */
    int size() {
        return size;
    }

    List<Pending> records() {
        return records;
    }

    /** A carrier holding one record sends it plain: readers that do not unpack see it as it was published. */
    PutRecordsRequestEntry entry() {
        if (records.size() == 1) {
            Pending only = records.get(0);
            return PutRecordsRequestEntry.builder().partitionKey(only.partitionKey)
                    .data(SdkBytes.fromByteArrayUnsafe(only.data)).build();
        }
        return PutRecordsRequestEntry.builder().partitionKey(packer.partitionKey())
                .data(SdkBytes.fromByteArrayUnsafe(packer.toBytes())).build();
    }
}
