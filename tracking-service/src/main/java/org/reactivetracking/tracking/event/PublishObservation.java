package org.reactivetracking.tracking.event;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.util.concurrent.TimeUnit;
import org.reactivetracking.tracking.trace.RequestSpan;
import reactor.core.publisher.Mono;

/**
 * The wait until Kinesis has accepted an event's record: timed for every request (the timer {@code tracking.publish},
 * tags {@code stream} and {@code error}), and a span {@code tracking.publish} under the request's span when its trace
 * is sampled. An unsampled request gets no span and no observation: just the timer.
 */
final class PublishObservation {

    static final String NAME = "tracking.publish";
    private static final String STREAM = "events";

    private final MeterRegistry meters;
    private final Tracer tracer;
    private final Timer accepted;

    PublishObservation(MeterRegistry meters, Tracer tracer) {
        this.meters = meters;
        this.tracer = tracer;
        this.accepted = timer("none");
    }

    /** {@code publish}, timed, and traced under {@code request} when that is sampled. */
    Mono<Void> around(Mono<Void> publish, Span request) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            Span span = RequestSpan.sampled(request)
                    ? tracer.nextSpan(request).name(NAME).tag("stream", STREAM).start()
                    : null;
            return publish
                    .doOnSuccess(ignored -> {
                        accepted.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                        end(span, null);
                    })
                    .doOnError(error -> {
                        timer(error.getClass().getSimpleName()).record(System.nanoTime() - started,
                                TimeUnit.NANOSECONDS);
                        end(span, error);
                    })
                    // the client went away: nothing to time, but a started span is ended
                    .doOnCancel(() -> end(span, null));
        });
    }

    private Timer timer(String error) {
        return Timer.builder(NAME).description("The wait until Kinesis accepted an event's record")
                .tag("stream", STREAM).tag("error", error).register(meters);
    }

    private static void end(Span span, Throwable error) {
        if (span != null) {
            if (error != null) {
                span.error(error);
            }
            span.end();
        }
    }
}
