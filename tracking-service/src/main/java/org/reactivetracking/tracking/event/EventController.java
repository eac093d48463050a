package org.reactivetracking.tracking.event;

import io.micrometer.observation.ObservationRegistry;
import java.time.Instant;
import java.util.UUID;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.reactivetracking.observability.TraceHeaders;
import org.reactivetracking.tracking.PublicRoute;
import org.reactivetracking.tracking.program.ProgramCatalog;
import org.reactivetracking.tracking.publish.RecordPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Mono;

/**
 * {@code GET /event/{programId}}: looks the program up, enriches it into a {@link TrackingEvent} and answers with
 * the event only once Kinesis has accepted it. It stays a GET: tracking pixels and links call it. Public: it needs
 * no admin key.
 */
@RestController
class EventController {

    private static final Logger log = LoggerFactory.getLogger(EventController.class);

    private final ProgramCatalog programs;
    private final RecordPublisher events;
    private final TraceHeaders traces;
    private final ObservationRegistry observations;

    EventController(ProgramCatalog programs, @Qualifier("events") RecordPublisher events, TraceHeaders traces,
            ObservationRegistry observations) {
        this.programs = programs;
        this.events = events;
        this.traces = traces;
        this.observations = observations;
    }

    @PublicRoute
    @GetMapping(path = "/event/{programId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<EventResponse> track(@PathVariable String programId, ServerHttpRequest request) {
        InvalidProgramIdException.requireValid(programId);
        Instant receivedAt = Instant.now();
        HttpHeaders headers = request.getHeaders();
        String userAgent = headers.getFirst(HttpHeaders.USER_AGENT);
        String incomingTrace = traceHeader(headers);
        return programs.find(programId)
                .switchIfEmpty(Mono.error(() -> new ProgramNotFoundException(programId)))
                .map(program -> new TrackingEvent(UUID.randomUUID().toString(), program, userAgent, receivedAt,
                        traces.currentOr(incomingTrace)))
                .flatMap(event -> events.publish(event.messageId(), TrackingEventCodec.encode(event))
                        // a span (and timer) for the wait until Kinesis has accepted this event's record
                        .name("tracking.publish").tag("stream", "events").tap(Micrometer.observation(observations))
                        .doOnSuccess(ignored -> log.debug("Tracked event {} for program {}", event.messageId(),
                                programId))
                        .thenReturn(EventResponse.of(event)));
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
