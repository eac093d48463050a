package org.reactivetracking.tracking.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The admin API key: checked in constant time; a request without it gets 401 problem details. */
@Component
class AdminKey {

    private final byte[] apiKey;
    private final String header;
    private final JsonMapper json;

    AdminKey(TrackingProperties properties, JsonMapper json) {
        this.apiKey = properties.admin().apiKey().getBytes(StandardCharsets.UTF_8);
        this.header = properties.admin().header();
        this.json = json;
    }

    /** Exactly one key header, holding the key: a second, different value is not ignored but refused. */
    boolean presentedBy(ServerHttpRequest request) {
        List<String> presented = request.getHeaders().get(header);
        // the expected key first: MessageDigest.isEqual then takes a time that depends on its length only
        return presented != null && presented.size() == 1
                && MessageDigest.isEqual(apiKey, presented.get(0).getBytes(StandardCharsets.UTF_8));
    }

    Mono<Void> refuse(ServerWebExchange exchange) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Unauthorized");
        problem.put("status", HttpStatus.UNAUTHORIZED.value());
        problem.put("detail", "this request needs a valid " + header + " header");
        problem.put("instance", exchange.getRequest().getPath().value());
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json.writeValueAsBytes(problem))));
    }
}
