package org.reactivetracking.eventstore;

import java.time.Duration;
import org.reactivetracking.kinesis.Settings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
@ConfigurationProperties("eventstore")
public record EventStoreProperties(@DefaultValue("tracking-events") String eventsTable,
        @DefaultValue("tracking-events-dead-letters") String deadLetterTable,
        @DefaultValue("false") boolean createTables, @DefaultValue("8") int writeConcurrency,
        @DefaultValue("2000") int maxEventsPerCycle, @DefaultValue("14d") Duration deadLetterRetention,
        Duration eventRetention, @DefaultValue Retry retry) {

    public EventStoreProperties {
        Settings.text(eventsTable, "eventstore.events-table");
        Settings.text(deadLetterTable, "eventstore.dead-letter-table");
        Settings.between(writeConcurrency, 1, 64, "eventstore.write-concurrency");
        Settings.between(maxEventsPerCycle, 1, 100_000, "eventstore.max-events-per-cycle");
        Settings.positive(deadLetterRetention, "eventstore.dead-letter-retention");
        if (eventRetention != null) {
            Settings.positive(eventRetention, "eventstore.event-retention");
        }
        if (retry == null) {
            throw new IllegalArgumentException("eventstore.retry must be set");
        }
    }

    /**
     * @param initialBackoff first wait after a failed write; doubles, with jitter, up to maxBackoff
     * @param maxBackoff     longest wait between two attempts; writes are retried until they succeed
     */
    public record Retry(@DefaultValue("50ms") Duration initialBackoff, @DefaultValue("5s") Duration maxBackoff) {

        public Retry {
            Settings.positive(initialBackoff, "eventstore.retry.initial-backoff");
            Settings.positive(maxBackoff, "eventstore.retry.max-backoff");
        }
    }
}
