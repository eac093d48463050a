package org.reactivetracking.tracking.event;

import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivetracking.model.RedirectRule;
import org.reactivetracking.tracking.InvalidRequestException;
import org.reactivetracking.tracking.PublicRoute;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /click/{programId}?u=<url>[&eid=<uuid>]}: a tracked link. Answers {@code 302} to {@code u} once Kinesis
 * has accepted the event, only when the program's redirect allow-list covers {@code u} ({@link RedirectRule}): it is
 * never an open redirect. A missing, repeated, malformed or not allowed {@code u} is {@code 400}, and nothing is
 * recorded.
 */
@RestController
class ClickController {

    static final String DESTINATION = "u";

    private final EventTracker tracker;

    ClickController(EventTracker tracker) {
        this.tracker = tracker;
    }

    @PublicRoute
    @GetMapping("/click/{programId}")
    Mono<ResponseEntity<Void>> click(@PathVariable String programId, ServerHttpRequest request) {
        String destination = QueryParameters.single(request, DESTINATION).orElseThrow(
                () -> new InvalidRequestException("Redirect not allowed", "query parameter 'u' missing"));
        AtomicReference<URI> location = new AtomicReference<>();
        return tracker.track(programId, request, program -> {
            try {
                location.set(RedirectRule.requireAllowed(destination, program.redirectAllowList()));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidRequestException("Redirect not allowed", ex.getMessage());
            }
        }).map(event -> ResponseEntity.status(HttpStatus.FOUND).location(location.get()).build());
    }
}
