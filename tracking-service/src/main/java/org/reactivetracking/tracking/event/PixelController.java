package org.reactivetracking.tracking.event;

import java.util.Base64;
import org.reactivetracking.tracking.PublicRoute;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /pixel/{programId}.gif[?eid=<uuid>]}: a tracking pixel for an {@code <img>} tag. Answers a 1×1
 * transparent GIF once Kinesis has accepted the event, and problem details for every failure, as
 * {@code /event/{programId}} does.
 */
@RestController
class PixelController {

    /** The 43-byte transparent 1×1 GIF89a: a two-colour table, a transparency extension, one LZW-coded pixel. */
    static final byte[] TRANSPARENT_GIF = Base64.getDecoder()
            .decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    private final EventTracker tracker;

    PixelController(EventTracker tracker) {
        this.tracker = tracker;
    }

    @PublicRoute
    @GetMapping("/pixel/{programId}.gif")
    Mono<ResponseEntity<byte[]>> pixel(@PathVariable String programId, ServerHttpRequest request) {
        return tracker.track(programId, request)
                .map(event -> ResponseEntity.ok().contentType(MediaType.IMAGE_GIF).body(TRANSPARENT_GIF.clone()));
    }
}
