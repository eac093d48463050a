package org.reactivetracking.eventstore;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the kinesis-consumer, under {@code eventstore.*} (environment: {@code EVENTSTORE_*}).
 *
 * @param eventsTable      the table the events are stored in, keyed by message id
 * @param deadLetterTable  the table records that can never be stored go to, with the reason
 * @param createTables     create both tables at start when missing (local runs; on AWS they come from deploy/)
 * @param writeConcurrency BatchWriteItem requests in flight at once per batch
 * @param maxEventsPerCycle events (and dead letters) held in memory and written at once; a batch holding more (a poll
 *                         of aggregated records can hold hundreds of thousands) is written in several cycles, and
 *                         checkpointed after each at the last record fully stored
 * @param deadLetterRetention how long a dead letter is kept (the dead-letter table's time to live)
 * @param eventRetention   how long an event is kept: each item gets {@code expiresAt} (epoch seconds) = its receive
 *                         time + this, for the events table's time to live (the stack's
 *                         {@code EventsTimeToLiveAttribute=expiresAt}); unset, events carry no expiry and are kept
 * @param retry            back-off of writes that DynamoDB did not take (unprocessed items, throttling, outages)
 */
@Validated
@ConfigurationProperties("eventstore")
public record EventStoreProperties(@NotBlank @DefaultValue("tracking-events") String eventsTable,
        @NotBlank @DefaultValue("tracking-events-dead-letters") String deadLetterTable,
        @DefaultValue("false") boolean createTables, @Min(1) @Max(64) @DefaultValue("8") int writeConcurrency,
        @Min(1) @Max(100_000) @DefaultValue("2000") int maxEventsPerCycle,
        @NotNull @DefaultValue("14d") Duration deadLetterRetention, Duration eventRetention,
        @Valid @NotNull @DefaultValue Retry retry) {

    /**
     * @param initialBackoff first wait after a failed write; doubles, with jitter, up to maxBackoff
     * @param maxBackoff     longest wait between two attempts; writes are retried until they succeed
     */
    public record Retry(@NotNull @DefaultValue("50ms") Duration initialBackoff,
            @NotNull @DefaultValue("5s") Duration maxBackoff) {
    }
}
