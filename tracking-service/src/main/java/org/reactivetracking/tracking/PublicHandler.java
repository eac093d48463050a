package org.reactivetracking.tracking;

import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * A public handler function: requests routed to it need no admin key, as requests routed to a handler method marked
 * {@link PublicRoute}. The guard decides on the handler a request is dispatched to, so a router function's route is
 * public only when its handler is one of these, given to the router as is (a filter wrapping it would hide it).
 */
@FunctionalInterface
public interface PublicHandler extends HandlerFunction<ServerResponse> {
}
