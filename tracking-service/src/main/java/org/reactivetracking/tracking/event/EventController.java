package org.reactivetracking.tracking.event;

import org.reactivetracking.tracking.PublicRoute;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /event/{programId}[?eid=<uuid>]}: answers with the event only once Kinesis has accepted it
 * ({@link EventTracker}). It stays a GET: tracking pixels and links call it. Public: it needs no admin key.
 * <p>
 * The answer is written as bytes by the application's own JSON mapper (the one the JSON codec uses, so the same
 * document): on the hot path, the codec's per-answer work (the writer's look-up by type, a generator per answer)
 * cost more than the document itself.
 */
@RestController
class EventController {

    private final EventTracker tracker;
    private final JsonMapper json;

    EventController(EventTracker tracker, JsonMapper json) {
        this.tracker = tracker;
        this.json = json;
    }

    @PublicRoute
    @GetMapping(path = "/event/{programId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> track(@PathVariable String programId, ServerHttpRequest request) {
        return tracker.track(programId, request).map(event -> ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(EventResponse.of(event))));
    }
}
