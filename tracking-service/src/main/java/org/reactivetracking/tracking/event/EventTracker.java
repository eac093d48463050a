package org.reactivetracking.tracking.event;

import io.micrometer.observation.ObservationRegistry;
import java.time.Instant;
import java.util.function.Consumer;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.reactivetracking.tracking.program.ProgramCatalog;
import org.reactivetracking.tracking.publish.RecordPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.observability.micrometer.Micrometer;
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
    private final ObservationRegistry observations;

    EventTracker(ProgramCatalog programs, @Qualifier("events") RecordPublisher events, TraceHeaders traces,
            ObservationRegistry observations) {
        this.programs = programs;
        this.events = events;
        this.traces = traces;
        this.observations = observations;
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
        return programs.find(programId)
                .switchIfEmpty(Mono.error(() -> new ProgramNotFoundException(programId)))
                .doOnNext(admission)
                .map(program -> new TrackingEvent(messageId, program, userAgent, receivedAt,
                        traces.currentOr(incomingTrace)))
                .flatMap(event -> events.publish(event.messageId(), TrackingEventCodec.encode(event))
                        // a span (and timer) for the wait until Kinesis has accepted this event's record
                        .name("tracking.publish").tag("stream", "events").tap(Micrometer.observation(observations))
                        .doOnSuccess(ignored -> log.debug("Tracked event {} for program {}", event.messageId(),
                                programId))
                        .thenReturn(event));
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
