package org.reactivetracking.programs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.model.InvalidRecordException;
import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Applies one batch of update records to Redis, in stream order. Invalid records go to the dead-letter stream and
 * the batch goes on; while Redis is unreachable the batch is retried, holding the shard, so nothing is skipped.
 * Returns once every record is applied (or found stale, or dead-lettered), so the caller may checkpoint.
 */
@Component
class UpdateBatchHandler {

    private static final Logger log = LoggerFactory.getLogger(UpdateBatchHandler.class);

    private final ProgramStore store;
    private final TraceHeaders traces;
    private final ProgramUpdaterProperties settings;
    private final Counter applied;
    private final Counter stale;
    private final Counter deadLetters;
    private final AtomicLong lagMillis = new AtomicLong();

    UpdateBatchHandler(ProgramStore store, TraceHeaders traces, ProgramUpdaterProperties settings,
            MeterRegistry meters) {
        this.store = store;
        this.traces = traces;
        this.settings = settings;
        this.applied = Counter.builder("programs.updates").tag("outcome", "applied").register(meters);
        this.stale = Counter.builder("programs.updates").tag("outcome", "stale")
                .description("updates older than what Redis holds, ignored").register(meters);
        this.deadLetters = Counter.builder("programs.dead.letters").register(meters);
        meters.gauge("programs.lag.ms", lagMillis);
    }

    void handle(List<KinesisBatch.Record> records) {
        Flux.fromIterable(records).concatMap(this::handle).then()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, settings.initialBackoff()).maxBackoff(settings.maxBackoff())
                        .doBeforeRetry(signal -> log.warn("Applying {} updates failed, retrying: {}", records.size(),
                                signal.failure().getMessage())))
                .block();
    }

    private Mono<Void> handle(KinesisBatch.Record record) {
        ProgramUpdate update;
        try {
            update = ProgramUpdateCodec.decode(record.data());
        }
        catch (InvalidRecordException ex) {
            log.warn("Dead-lettering update {} of {}/{}: {}", record.sequenceNumber(), record.stream(),
                    record.shardId(), ex.getMessage());
            return store.deadLetter(record, ex.getMessage()).doOnSuccess(ignored -> deadLetters.increment());
        }
        Span span = traces.childOf(update.traceHeader(), "apply program update").kind(Span.Kind.CONSUMER)
                .tag("programId", update.program().programId()).start();
        return store.apply(update).doOnError(span::error).doFinally(signal -> span.end()).doOnNext(wasApplied -> {
            (wasApplied ? applied : stale).increment();
            log.debug("Update of program {} at version {}: {}", update.program().programId(), update.version(),
                    wasApplied ? "applied" : "stale, ignored");
            if (update.version() > 1_000_000_000_000_000L) {
                // versions are update times in microseconds
                lagMillis.set(Math.max(0, System.currentTimeMillis() - update.version() / 1000));
            }
        }).then();
    }

}
