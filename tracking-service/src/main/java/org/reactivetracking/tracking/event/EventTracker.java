package org.reactivetracking.tracking.event;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.reactivetracking.tracking.program.ProgramCatalog;
import org.reactivetracking.tracking.publish.RecordPublisher;
import org.reactivetracking.tracking.trace.RequestSpan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What every tracking route does: checks the program id and the event id ({@link EventIds}), looks the program up,
 * lets the route refuse the request for that program, enriches it into a {@link TrackingEvent} and completes only once
 * Kinesis has accepted the event. A request refused at any step records nothing.
 */
@Component
class EventTracker {

    private static final Logger log = LoggerFactory.getLogger(EventTracker.class);

    private final ProgramCatalog programs;
    private final RecordPublisher events;
    private final TraceHeaders traces;
    private final PublishObservation publishing;

    EventTracker(ProgramCatalog programs, @Qualifier("events") RecordPublisher events, TraceHeaders traces,
            MeterRegistry meters, Tracer tracer) {
        this.programs = programs;
        this.events = events;
        this.traces = traces;
        this.publishing = new PublishObservation(meters, tracer);
    }

    Mono<TrackingEvent> track(String programId, ServerHttpRequest request) {
        return track(programId, request, program -> {
        });
    }

    /** @param admission throws to refuse the request for the program found, before anything is published */
    Mono<TrackingEvent> track(String programId, ServerHttpRequest request, Consumer<Program> admission) {
        InvalidProgramIdException.requireValid(programId);
        String messageId = EventIds.of(request);
        Instant receivedAt = Instant.now();
        HttpHeaders headers = request.getHeaders();
        String userAgent = headers.getFirst(HttpHeaders.USER_AGENT);
        String incomingTrace = traceHeader(headers);
        Executor answerOn = ConnectionLoop.of(request);
        // the request's span is in the Reactor context (no thread-local copy on every operator): the Redis lookup
        // finds it there itself, the event carries its header, and the publish span is its child when sampled
        return Mono.deferContextual(context -> {
            Span span = RequestSpan.of(context);
            return programs.find(programId)
                    .switchIfEmpty(Mono.error(() -> new ProgramNotFoundException(programId)))
                    .doOnNext(admission)
                    .map(program -> new TrackingEvent(messageId, program, userAgent, receivedAt,
                            traces.ofOr(span, incomingTrace)))
                    .flatMap(event -> publishing
                            .around(events.publish(event.messageId(), TrackingEventCodec.encode(event),
                                    answerOn), span)
                            .doOnSuccess(ignored -> log.debug("Tracked event {} for program {}", event.messageId(),
                                    programId))
                            .thenReturn(event));
        });
    }

    /** The ALB's X-Ray header when present, else the W3C trace context, else none. */
    private static String traceHeader(HttpHeaders headers) {
        String amazon = headers.getFirst("X-Amzn-Trace-Id");
        if (amazon != null) {
            return amazon;
        }
        String w3c = headers.getFirst("traceparent");
        return w3c == null ? "" : w3c;
    }
}
