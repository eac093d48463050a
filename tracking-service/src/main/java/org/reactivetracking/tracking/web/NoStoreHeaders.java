package org.reactivetracking.tracking.web;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Nothing this service answers may be cached, by a browser, a proxy or a CDN: a cached tracking answer is an event
 * never recorded (a pixel, a click, a retried {@code /event} served from a cache), and an admin or operator answer
 * belongs to whoever held the key. {@code Cache-Control: no-store} for HTTP/1.1 caches, {@code Pragma: no-cache} and
 * {@code Expires: 0} for HTTP/1.0 ones. Set when the response is committed, on every answer the application writes
 * (successes, problem details, the guard's {@code 401}), so no handler or error path can forget them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class NoStoreHeaders implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        exchange.getResponse().beforeCommit(() -> {
            HttpHeaders headers = exchange.getResponse().getHeaders();
            headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
            headers.set(HttpHeaders.PRAGMA, "no-cache");
            headers.set(HttpHeaders.EXPIRES, "0");
            return Mono.empty();
        });
        return chain.filter(exchange);
    }
}
