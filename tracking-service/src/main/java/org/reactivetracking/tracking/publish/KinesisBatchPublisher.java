package org.reactivetracking.tracking.publish;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.reactivetracking.tracking.TrackingProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Publishes records to one Kinesis stream in shared {@code PutRecords} calls, each caller answered by its deadline.
 * <p>
 * The buffer is bounded in records and bytes ({@link Admission}): when it is full, records are refused at once.
 * Concurrent callers' records wait up to {@code linger} for others (a full batch goes at once) and are sent together,
 * earliest deadline first, with a bounded number of calls in flight ({@link Batcher}); a record whose time runs out
 * before it is sent is never sent. Each call is given the time left to the earliest deadline among its records
 * ({@link PutRecordsCall}). Entries Kinesis refuses, and the records of calls that fail, are put again with back-off
 * while time is left ({@link RetryPolicy}, {@link Triage}).
 * <p>
 * A caller's {@link Mono} completes once Kinesis stored its record, or fails with a {@link PublishRejectedException}
 * saying whether the record is certainly not on the stream or, after a call that may have reached Kinesis, perhaps
 * is. Putting such a record again is safe: it keeps its data, and consumers keep one copy of what they already hold
 * (events by message id, program updates by version).
 * <p>
 * This class holds the lock, the one timer, the meters and the lifecycle: on stop it takes no more records and
 * sends what it holds, within the deadline.
 */
public final class KinesisBatchPublisher implements RecordPublisher, SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KinesisBatchPublisher.class);

    private final String stream;
    private final TrackingProperties.Publisher settings;
    private final int maxInFlight;
    private final LongSupplier clock;
    private final Scheduler scheduler;
    private final Admission admission;
    private final Batcher batcher;
    private final RetryPolicy retries;
    private final PutRecordsCall calls;
    private final PublisherMeters meters;

    private final Object lock = new Object();
    private final Alarm alarm;
    private long sequence;
    private int inFlight;
    /** When a call last completed, or records came into an empty buffer if that is later. */
    private long progressAt;
    private CompletableFuture<Void> drained;
    private volatile boolean running;

    /**
     * @param aggregation how records are packed into Kinesis records; {@link TrackingProperties.Aggregation#off()}
     *                    for one record per Kinesis record
     */
    public KinesisBatchPublisher(KinesisAsyncClient kinesis, String stream, TrackingProperties.Publisher settings,
            TrackingProperties.Aggregation aggregation, MeterRegistry meters) {
        this(kinesis, stream, settings, aggregation, meters, System::nanoTime,
                Scheduler.singleThread("kinesis-publisher-" + stream));
    }

    /** With the time and the timers given: tests move them by hand. */
    KinesisBatchPublisher(KinesisAsyncClient kinesis, String stream, TrackingProperties.Publisher settings,
            TrackingProperties.Aggregation aggregation, MeterRegistry meters, LongSupplier clock,
            Scheduler scheduler) {
        this.stream = stream;
        this.settings = settings;
        this.maxInFlight = aggregation.enabled() ? aggregation.maxInFlightBatches() : settings.maxInFlightBatches();
        this.clock = clock;
        this.scheduler = scheduler;
        this.admission = Admission.of(settings);
        this.batcher = Batcher.of(settings, aggregation);
        this.retries = RetryPolicy.of(settings);
        this.calls = new PutRecordsCall(kinesis, stream, scheduler);
        this.meters = new PublisherMeters(meters, stream, this::buffered);
        this.alarm = new Alarm(scheduler, this::wake);
        this.progressAt = clock.getAsLong();
    }

    @Override
    public Mono<Void> publish(String partitionKey, byte[] data) {
        return publish(partitionKey, data, null);
    }

    @Override
    public Mono<Void> publish(String partitionKey, byte[] data, Executor answerOn) {
        return Mono.defer(() -> Mono.fromFuture(offer(partitionKey, data, answerOn), true));
    }

    /** Records buffered or in flight. */
    public int buffered() {
        synchronized (lock) {
            return admission.records();
        }
    }

    /** {@code true} while the buffer is at least 90 % full: new records are about to be refused. */
    public boolean saturated() {
        synchronized (lock) {
            return admission.saturated();
        }
    }

    /** The stream it publishes to. */
    public String stream() {
        return stream;
    }

    /**
     * true when records are buffered and no PutRecords call has completed, succeeded or failed, for longer than
     * max(10 s, 3 × the publish timeout). The wait counts from when records came into an empty buffer, if later.
     */
    public boolean wedged() {
        long limit = Math.max(Duration.ofSeconds(10).toNanos(), 3 * settings.timeout().toNanos());
        synchronized (lock) {
            return admission.records() > 0 && clock.getAsLong() - progressAt > limit;
        }
    }

    private CompletableFuture<Void> offer(String partitionKey, byte[] data, Executor answerOn) {
        int size = data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        Pending pending;
        Batcher.Cut cut;
        synchronized (lock) {
            Reason refusal = admission.refusal(size);
            if (refusal != null) {
                meters.rejected(refusal);
                return CompletableFuture.failedFuture(
                        Admission.rejection(refusal, size, stream, settings.retryAfter()));
            }
            long now = clock.getAsLong();
            if (admission.records() == 0) {
                progressAt = now;
            }
            admission.admit(size);
            long deadline = now + settings.timeout().toNanos();
            pending = new Pending(partitionKey, data, size, now, deadline,
                    deadline - settings.minCallTime().toNanos(), sequence++, answerOn);
            batcher.add(pending);
            cut = pump(now);
        }
        settle(cut);
        return pending.done;
    }

    /** Under the lock: cuts what is due at {@code now}, and sets the alarm for when something is due next. */
    private Batcher.Cut pump(long now) {
        Batcher.Cut cut = batcher.cut(now, maxInFlight - inFlight, !admission.isOpen());
        cut.expired().forEach(this::release);
        inFlight += cut.batches().size();
        cut.batches().forEach(batch -> batch.records().forEach(pending -> pending.attempts++));
        // what is due already but was not cut waits for a call to complete, which pumps again
        alarm.set(batcher.nextDue(now), now);
        return cut;
    }

    private void wake() {
        Batcher.Cut cut;
        synchronized (lock) {
            alarm.rung();
            cut = pump(clock.getAsLong());
        }
        settle(cut);
    }

    /** Outside the lock: answers the expired records and sends the batches. */
    private void settle(Batcher.Cut cut) {
        cut.expired().forEach(pending -> fail(pending, Reason.EXPIRED, "not sent before its deadline"));
        for (Batch batch : cut.batches()) {
            meters.sent(batch);
            long started = clock.getAsLong();
            calls.put(batch.entries(), batch.deadline() - started)
                    .thenAccept(result -> answered(batch, result, started))
                    .exceptionally(ex -> {
                        log.error("Lost track of a call on {}", stream, ex);
                        return null;
                    });
        }
        signalIfDrained();
    }

    private void answered(Batch batch, CallResult result, long started) {
        long now = clock.getAsLong();
        meters.answered(now - started);
        Triage triage;
        Batcher.Cut cut;
        synchronized (lock) {
            inFlight--;
            progressAt = now;
            triage = Triage.of(batch, result, retries, now, ThreadLocalRandom.current().nextDouble());
            triage.accepted().forEach(this::release);
            triage.retried().forEach(batcher::backOff);
            triage.failed().forEach(failure -> release(failure.pending()));
            cut = pump(now);
        }
        meters.accepted(triage.accepted().size());
        answer(triage.accepted());
        if (!triage.retried().isEmpty()) {
            meters.retried(triage.retried().size());
            log.debug("Putting {} records on {} again after: {}", triage.retried().size(), stream, result.detail());
        }
        if (!triage.failed().isEmpty()) {
            log.warn("{} records on {} not accepted by their deadline after: {}", triage.failed().size(), stream,
                    result.detail());
            triage.failed().forEach(failure -> fail(failure.pending(), failure.reason(), result.detail()));
        }
        settle(cut);
    }

    /** Completes the accepted records' callers, as {@link #answer(List, Consumer)} does. */
    static void answer(List<Pending> accepted) {
        answer(accepted, pending -> pending.done.complete(null));
    }

    /**
     * Completes callers: those without an executor at once, the others in one task per executor (a connection's
     * event loop runs the rest of each request there, without a hand-over per answer). An executor that no longer
     * takes tasks (the server's loops shut down) leaves its callers to this thread.
     */
    static void answer(List<Pending> callers, Consumer<Pending> completion) {
        Map<Executor, List<Pending>> byExecutor = new IdentityHashMap<>();
        for (Pending pending : callers) {
            if (pending.answerOn == null) {
                completion.accept(pending);
            }
            else {
                byExecutor.computeIfAbsent(pending.answerOn, executor -> new ArrayList<>()).add(pending);
            }
        }
        byExecutor.forEach((executor, group) -> {
            Runnable task = () -> group.forEach(completion);
            try {
                executor.execute(task);
            }
            catch (RejectedExecutionException ex) {
                task.run();
            }
        });
    }

    /** Answers a released record given up for {@code cause}, on its executor as accepted records are. */
    private void fail(Pending pending, Reason cause, String detail) {
        PublishRejectedException rejection = pending.rejection(cause, stream, detail, settings.retryAfter());
        meters.rejected(pending.reason(cause));
        log.debug("Not published: {}", rejection.getMessage());
        answer(List.of(pending), caller -> caller.done.completeExceptionally(rejection));
    }

    /** Under the lock: forgets an answered record. */
    private void release(Pending pending) {
        admission.release(pending.size);
    }

    /** Outside the lock, once records were answered: lets a waiting {@link #stop()} return when none is left. */
    private void signalIfDrained() {
        synchronized (lock) {
            if (drained != null && admission.records() == 0) {
                drained.complete(null);
            }
        }
    }

    @Override
    public void start() {
        synchronized (lock) {
            admission.open();
            drained = null;
        }
        running = true;
    }

    @Override
    public void stop() {
        CompletableFuture<Void> done;
        Batcher.Cut cut;
        synchronized (lock) {
            admission.close();
            drained = new CompletableFuture<>();
            if (admission.records() == 0) {
                drained.complete(null);
            }
            done = drained;
            cut = pump(clock.getAsLong());
        }
        settle(cut);
        try {
            done.get(settings.timeout().plusSeconds(1).toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException | TimeoutException ex) {
            log.warn("Stopped with {} records not yet accepted by {}", buffered(), stream);
        }
        List<Pending> left;
        synchronized (lock) {
            alarm.cancel();
            left = batcher.removeAll();
            left.forEach(this::release);
        }
        left.forEach(pending -> fail(pending, Reason.STOPPING, "the publisher stopped"));
        running = false;
    }

    /** The context closes: the timer thread goes too. */
    @Override
    public void destroy() {
        scheduler.shutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server has finished its requests, so their records are still sent. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
