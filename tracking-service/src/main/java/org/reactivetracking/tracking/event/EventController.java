package org.reactivetracking.tracking.event;

import org.reactivetracking.tracking.PublicRoute;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /event/{programId}[?eid=<uuid>]}: answers with the event only once Kinesis has accepted it
 * ({@link EventTracker}). It stays a GET: tracking pixels and links call it. Public: it needs no admin key.
 */
@RestController
class EventController {

    private final EventTracker tracker;

    EventController(EventTracker tracker) {
        this.tracker = tracker;
    }

    @PublicRoute
    @GetMapping(path = "/event/{programId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<EventResponse> track(@PathVariable String programId, ServerHttpRequest request) {
        return tracker.track(programId, request).map(EventResponse::of);
    }
}
