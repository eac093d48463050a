package org.reactivetracking.tracking;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.reactivetracking.model.AggregatedRecords;
import org.reactivetracking.model.ProgramKeys;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the tracking service, under {@code tracking.*} (environment: {@code TRACKING_*}).
 *
 * @param streams   the Kinesis streams written to
 * @param publisher batching and back-pressure of the Kinesis publisher
 * @param aggregation packing many events into one Kinesis record (the event stream only)
 * @param programs  program lookup: Redis layout, change channel and in-process cache
 * @param admin     the admin API's credentials
 * @param health    how the health probes learn the state of Redis and the event stream
 */
@Validated
@ConfigurationProperties("tracking")
public record TrackingProperties(@Valid @NotNull @DefaultValue Streams streams,
        @Valid @NotNull @DefaultValue Publisher publisher, @Valid @NotNull @DefaultValue Aggregation aggregation,
        @Valid @NotNull @DefaultValue Programs programs,
        @Valid @NotNull @DefaultValue Admin admin, @Valid @NotNull @DefaultValue Health health) {

    /**
     * @param events  the stream tracking events are published to
     * @param updates the stream program updates are published to
     */
    public record Streams(@NotBlank @DefaultValue("tracking-events") String events,
            @NotBlank @DefaultValue("program-updates") String updates) {
    }

    /**
     * @param maxBatchRecords    records per PutRecords call (Kinesis allows 500)
     * @param maxBatchBytes      bytes per PutRecords call, data plus partition keys (Kinesis allows 5 MiB)
     * @param linger             how long a record may wait for others to share its PutRecords call
     * @param maxInFlightBatches PutRecords calls in flight at once
     * @param maxBufferedRecords records buffered or in flight before new ones are refused with 503
     * @param maxBufferedBytes   bytes buffered or in flight before new ones are refused with 503
     * @param timeout            how long a record may take to be accepted, retries included: its request is
     *                           answered by then, 503 when the record was not accepted
     * @param minCallTime        the least time a PutRecords call is given: a record with less left before its
     *                           deadline is not sent (nor put again), since its call could not complete in time; it
     *                           is answered 503 at once
     * @param retryBackoff       first back-off after a failed or throttled put; doubles up to maxRetryBackoff
     * @param maxRetryBackoff    longest back-off between retries
     * @param retryAfter         the Retry-After given to clients refused with 503
     */
    public record Publisher(@Min(1) @Max(500) @DefaultValue("500") int maxBatchRecords,
            @NotNull @DefaultValue("5MB") DataSize maxBatchBytes, @NotNull @DefaultValue("5ms") Duration linger,
            @Min(1) @DefaultValue("8") int maxInFlightBatches,
            @Min(1) @DefaultValue("20000") int maxBufferedRecords,
            @NotNull @DefaultValue("32MB") DataSize maxBufferedBytes, @NotNull @DefaultValue("3s") Duration timeout,
            @NotNull @DefaultValue("200ms") Duration minCallTime,
            @NotNull @DefaultValue("50ms") Duration retryBackoff,
            @NotNull @DefaultValue("1s") Duration maxRetryBackoff,
            @NotNull @DefaultValue("1s") Duration retryAfter) {

        public Publisher {
            // a call is given whole milliseconds, and must have time left after the wait for others
            if (timeout != null && minCallTime != null
                    && (minCallTime.compareTo(Duration.ofMillis(10)) < 0 || minCallTime.compareTo(timeout) >= 0)) {
                throw new IllegalArgumentException("tracking.publisher.min-call-time must be at least 10ms and less"
                        + " than tracking.publisher.timeout (" + timeout + "), was " + minCallTime);
            }
        }
    }

    /**
     * Aggregated records on the event stream: many events in one Kinesis record, in the KPL's aggregated record
     * format, which {@code kinesis-consumer} and any KCL-based reader unpack. Off by default: readers that expect
     * one event per record would see one record they cannot parse. A record holding a single event is sent plain.
     * The update stream is never aggregated.
     *
     * One call can then carry a whole buffer's worth of events (500 records of up to 1 MiB, 5 MiB a call), so the
     * publisher makes fewer, fuller calls than in plain mode: its own linger and calls in flight replace
     * {@code tracking.publisher.linger} and {@code max-in-flight-batches}. Measured against kinesis-mock (see
     * BENCHMARKS.md), one call in flight with a 20 ms linger gave the most events per second and per record.
     *
     * @param enabled            pack events into aggregated records
     * @param maxRecordBytes     the largest aggregated record, partition key included (the KPL's default is 50 KiB;
     *                           Kinesis allows 1 MiB)
     * @param linger             how long an event may wait for others to share its call
     * @param maxInFlightBatches PutRecords calls in flight at once
     */
    public record Aggregation(@DefaultValue("false") boolean enabled,
            @NotNull @DefaultValue("50KB") DataSize maxRecordBytes, @NotNull @DefaultValue("20ms") Duration linger,
            @Min(1) @DefaultValue("1") int maxInFlightBatches) {

        public Aggregation {
            if (maxRecordBytes != null && (maxRecordBytes.toBytes() < 1024
                    || maxRecordBytes.toBytes() > AggregatedRecords.MAX_KINESIS_RECORD_BYTES)) {
                throw new IllegalArgumentException("tracking.aggregation.max-record-bytes must be between 1KB and 1MB,"
                        + " was " + maxRecordBytes);
            }
        }

        /** One event per record. */
        public static Aggregation off() {
            return new Aggregation(false, DataSize.ofKilobytes(50), Duration.ofMillis(20), 1);
        }
    }

    /**
     * @param keyPrefix             prefix of the Redis keys of each program: its hash is the prefix and the id in
     *                              braces, as in program:{212313} (common-model's ProgramKeys); empty to read the
     *                              programs under their bare ids, where AWS's reference architecture keeps them.
     *                              The same as the redis-updater's
     * @param channel               Redis pub/sub channel on which changed program ids are announced
     * @param cacheMaximumSize      programs kept in the in-process cache
     * @param cacheExpiry           how long a cached program is trusted without an announcement
     */
    public record Programs(@NotNull @Pattern(regexp = ProgramKeys.PREFIX_RULE,
            message = ProgramKeys.PREFIX_RULE_MESSAGE) @DefaultValue("program:") String keyPrefix,
            @NotBlank @DefaultValue("program-changes") String channel,
            @Min(1) @DefaultValue("100000") long cacheMaximumSize,
            @NotNull @DefaultValue("10m") Duration cacheExpiry) {
    }

    /**
     * @param apiKey the key admin requests must present; required (there is no default, so none is ever shipped)
     * @param header the request header that carries it
     */
    public record Admin(@NotBlank(message = "set TRACKING_ADMIN_API_KEY: the admin API needs a key") String apiKey,
            @NotBlank @DefaultValue("X-Api-Key") String header) {
    }

    /**
     * The dependencies (Redis, the event stream, the publisher's buffer) are probed in the background and the
     * readiness probe answers from the last result, so no health request ever reaches Redis or AWS.
     *
     * @param probeInterval time between two probes of the dependencies; at least 1 s (Kinesis allows 20
     *                      DescribeStreamSummary calls a second per account, shared by every instance)
     * @param probeTimeout  how long one probe may take before its dependency counts as down
     */
    public record Health(@NotNull @DefaultValue("10s") Duration probeInterval,
            @NotNull @DefaultValue("2s") Duration probeTimeout) {

        public Health {
            if (probeInterval != null && probeInterval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("tracking.health.probe-interval must be at least 1s, was "
                        + probeInterval);
            }
        }
    }
}
