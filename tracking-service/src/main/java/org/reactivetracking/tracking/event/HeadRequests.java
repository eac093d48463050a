package org.reactivetracking.tracking.event;

import java.util.Set;
import org.reactivetracking.tracking.PublicRoute;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.MethodNotAllowedException;

/**
 * {@code HEAD} on a tracking route: {@code 405} with {@code Allow: GET}, and nothing recorded. WebFlux would
 * otherwise run the {@code GET} handler for a {@code HEAD} and drop the body, recording an event for every link
 * checker and prefetcher that only asked for headers. Public, so that the answer is the same with or without a key.
 */
@RestController
class HeadRequests {

    @PublicRoute
    @RequestMapping(method = RequestMethod.HEAD, path = { "/event/{programId}", "/pixel/{programId}.gif",
            "/click/{programId}" })
    void refuse() {
        throw new MethodNotAllowedException(HttpMethod.HEAD, Set.of(HttpMethod.GET));
    }
}
