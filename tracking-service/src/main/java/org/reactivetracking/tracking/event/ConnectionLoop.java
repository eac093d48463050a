package org.reactivetracking.tracking.event;

import java.util.concurrent.Executor;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.Connection;

/**
 * The event loop that owns a request's connection (Reactor Netty): the answer to a waiting request is written from
 * there, so the publisher completes the requests it answers together in one task per loop rather than handing each
 * answer over from its own thread ({@code KinesisBatchPublisher}).
 */
final class ConnectionLoop {

    private ConnectionLoop() {
    }

    /** The loop, or null where the request has no Netty connection (another server, a mock request). */
    static Executor of(ServerHttpRequest request) {
        try {
            return ServerHttpRequestDecorator.getNativeRequest(request) instanceof Connection connection
                    ? connection.channel().eventLoop()
                    : null;
        }
        catch (IllegalArgumentException | IllegalStateException ex) {
            return null;
        }
    }
}
