package org.reactivetracking.tracking.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The publisher's meters, all tagged with its stream. */
final class PublisherMeters {

    private final MeterRegistry registry;
    private final String stream;
    private final Counter accepted;
    /** Registered at the first rejection of each reason: every name and tag set is a billed CloudWatch metric. */
    private final Map<Reason, Counter> rejected = new ConcurrentHashMap<>();
    private final Counter retried;
    private final DistributionSummary batchSize;
    private final DistributionSummary recordsPerKinesisRecord;
    private final Timer putLatency;

    PublisherMeters(MeterRegistry registry, String stream, IntSupplier buffered) {
        this.registry = registry;
        this.stream = stream;
        accepted = Counter.builder("tracking.publisher.records").tag("stream", stream).tag("outcome", "accepted")
                .register(registry);
        retried = Counter.builder("tracking.publisher.retries").tag("stream", stream)
                .description("records put again after Kinesis rejected them or the call failed").register(registry);
        batchSize = DistributionSummary.builder("tracking.publisher.batch.size").tag("stream", stream)
                .description("Kinesis records per PutRecords call").register(registry);
        recordsPerKinesisRecord = DistributionSummary.builder("tracking.publisher.records.per.kinesis.record")
                .tag("stream", stream).description("published records per Kinesis record: above 1 when aggregating")
                .register(registry);
        putLatency = Timer.builder("tracking.publisher.put.latency").tag("stream", stream).register(registry);
        Gauge.builder("tracking.publisher.buffered.records", buffered, supplier -> supplier.getAsInt())
                .tag("stream", stream).strongReference(true).register(registry);
    }

    void accepted(int records) {
        accepted.increment(records);
    }

    void rejected(Reason reason) {
        rejected.computeIfAbsent(reason, key -> Counter.builder("tracking.publisher.records").tag("stream", stream)
                .tag("outcome", "rejected").tag("reason", key.tag()).register(registry)).increment();
    }

    void retried(int records) {
        retried.increment(records);
    }

    void sent(Batch batch) {
        batchSize.record(batch.carriers().size());
        batch.carriers().forEach(carrier -> recordsPerKinesisRecord.record(carrier.records().size()));
    }

    void answered(long nanos) {
        putLatency.record(nanos, TimeUnit.NANOSECONDS);
    }
}
