package org.reactivetracking.programs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import java.time.Duration;
import org.reactivetracking.kinesis.Backoff;
import org.reactivetracking.kinesis.BatchListener;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.kinesis.LagGauge;
import org.reactivetracking.model.InvalidRecordException;
import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies one batch of update records to Redis, one record after the other, in stream order. Each record ends in one
 * of three ways: applied (or found older than what Redis holds), or a dead letter with its reason: a record that does
 * not decode, or that Redis refuses for good ({@link RedisFailures}). While Redis is unreachable, an update is retried,
 * holding the shard, so nothing is skipped; records already done are not done again. Returns once every record is
 * done, so the caller may checkpoint.
 */
@Component
class UpdateBatchHandler implements BatchListener.Handler {

    private static final Logger log = LoggerFactory.getLogger(UpdateBatchHandler.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final ProgramStore store;
    private final TraceHeaders traces;
    private final Backoff backoff;
    private final Counter applied;
    private final Counter stale;
    private final Counter deadLetters;
    private final LagGauge lag;

    UpdateBatchHandler(ProgramStore store, TraceHeaders traces, ProgramUpdaterProperties settings,
            MeterRegistry meters) {
        this.store = store;
        this.traces = traces;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.applied = Counter.builder("programs.updates").tag("outcome", "applied").register(meters);
        this.stale = Counter.builder("programs.updates").tag("outcome", "stale")
                .description("updates older than what Redis holds, ignored").register(meters);
        this.deadLetters = Counter.builder("programs.dead.letters").register(meters);
        this.lag = new LagGauge(meters, "programs.lag.ms", Duration.ofMinutes(1));
    }

    @Override
    public void handle(KinesisBatch batch) {
        batch.records().forEach(this::handle);
    }

    private void handle(KinesisBatch.Record record) {
        ProgramUpdate update;
        try {
            update = ProgramUpdateCodec.decode(record.data());
        }
        catch (InvalidRecordException ex) {
            deadLetter(record, ex.getMessage());
            return;
        }
        catch (RuntimeException ex) {
            // whatever a record holds, it must not stop the shard
            deadLetter(record, "cannot be read as a program update: " + ex);
            return;
        }
        String programId = update.program().programId();
        for (int attempt = 1; ; attempt++) {
            Span span = traces.childOf(update.traceHeader(), "apply program update").kind(Span.Kind.CONSUMER)
                    .tag("programId", programId).start();
            try {
                boolean wasApplied = Boolean.TRUE.equals(store.apply(update).block(COMMAND_TIMEOUT));
                (wasApplied ? applied : stale).increment();
                log.debug("Update of program {} at version {}: {}", programId, update.version(),
                        wasApplied ? "applied" : "stale, ignored");
                if (update.version() > 1_000_000_000_000_000L) {
                    // versions are update times in microseconds
                    lag.handled(update.version() / 1000);
                }
                return;
            }
            catch (RuntimeException ex) {
                span.error(ex);
                if (RedisFailures.isPermanent(ex)) {
                    deadLetter(record, "Redis refused the update of program " + programId + ": "
                            + RedisFailures.reason(ex));
                    return;
                }
                log.warn("Applying the update of program {} failed (attempt {}), retrying: {}", programId, attempt,
                        ex.getMessage());
            }
            finally {
                span.end();
            }
            backoff.pause(attempt);
        }
    }

    /** Adds the record to the dead-letter stream; retries until Redis has taken it, holding the shard. */
    private void deadLetter(KinesisBatch.Record record, String reason) {
        log.warn("Dead-lettering update {} of {}/{}: {}", record.position(), record.stream(), record.shardId(),
                reason);
        for (int attempt = 1; ; attempt++) {
            try {
                store.deadLetter(record, reason).block(COMMAND_TIMEOUT);
                deadLetters.increment();
                return;
            }
            catch (RuntimeException ex) {
                log.error("Adding the dead letter of update {} failed (attempt {}), retrying, holding the shard: {}",
                        record.position(), attempt, ex.getMessage());
            }
            backoff.pause(attempt);
        }
    }
}
