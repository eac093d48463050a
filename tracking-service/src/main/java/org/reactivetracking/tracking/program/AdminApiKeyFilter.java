package org.reactivetracking.tracking.program;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Guards the admin API ({@code /cache/**}, {@code /programs/**}): requests must carry the configured API key,
 * compared in constant time. Missing or wrong key: 401 problem details.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminApiKeyFilter implements WebFilter {

    private final byte[] apiKey;
    private final String header;

    AdminApiKeyFilter(TrackingProperties properties) {
        this.apiKey = properties.admin().apiKey().getBytes(StandardCharsets.UTF_8);
        this.header = properties.admin().header();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith("/cache/") && !path.startsWith("/programs/")) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(header);
        if (presented != null && MessageDigest.isEqual(apiKey, presented.getBytes(StandardCharsets.UTF_8))) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"the admin API"
                + " needs a valid " + header + " header\",\"instance\":\"" + path + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
