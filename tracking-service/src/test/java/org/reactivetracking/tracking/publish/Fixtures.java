package org.reactivetracking.tracking.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/** Settings and records shared by the publisher's tests. */
final class Fixtures {

    static final Duration LINGER = Duration.ofMillis(5);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final Duration MIN_CALL = Duration.ofMillis(200);
    static final Duration BACKOFF = Duration.ofMillis(20);
    static final Duration MAX_BACKOFF = Duration.ofMillis(200);
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private static long sequence;

    private Fixtures() {
    }

    static TrackingProperties.Publisher settings(int maxBatchRecords, int maxInFlight, int maxBufferedRecords) {
        return new TrackingProperties.Publisher(maxBatchRecords, DataSize.ofMegabytes(5), LINGER, maxInFlight,
                maxBufferedRecords, DataSize.ofMegabytes(32), TIMEOUT, MIN_CALL, BACKOFF, MAX_BACKOFF, RETRY_AFTER);
    }

    /** A record admitted at {@code admittedAt} under the default timeout, with {@code data} as its data. */
    static Pending pending(String partitionKey, String data, long admittedAt) {
        return pending(partitionKey, data.getBytes(StandardCharsets.UTF_8), admittedAt);
    }

    static Pending pending(String partitionKey, byte[] data, long admittedAt) {
        long deadline = admittedAt + TIMEOUT.toNanos();
        return new Pending(partitionKey, data, data.length + partitionKey.length(), admittedAt, deadline,
                deadline - MIN_CALL.toNanos(), sequence++, null);
    }

    /** The records inside a Kinesis record: the aggregated ones unpacked, a plain one as it is. */
    static List<String> unpack(PutRecordsRequestEntry entry) {
        byte[] data = entry.data().asByteArray();
        List<byte[]> records = AggregatedRecords.isAggregated(data) ? AggregatedRecords.unpack(data) : List.of(data);
        return records.stream().map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList();
    }
}
