package org.reactivetracking.tracking.web;

import java.util.Map;
import org.reactivetracking.tracking.PublicRoute;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.ReactiveHealthEndpointWebExtension;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /health/check}, the load balancer's health check of the reference architecture, kept on the main port: the
 * liveness group ({@code /actuator/health/liveness}), status only. 200 while the process runs and the event
 * publisher is not wedged; it asks nothing outside the process, so an outage of Redis or Kinesis never takes every
 * instance out of the target group at once (dependencies are readiness's concern).
 */
@RestController
class HealthCheckController {

    private final ReactiveHealthEndpointWebExtension health;

    HealthCheckController(ReactiveHealthEndpointWebExtension health) {
        this.health = health;
    }

    @PublicRoute
    @GetMapping("/health/check")
    Mono<ResponseEntity<Map<String, String>>> check() {
        return health.health(ApiVersion.LATEST, WebServerNamespace.SERVER, SecurityContext.NONE, "liveness")
                .map(response -> ResponseEntity.status(response.getStatus()).body(response.getBody() == null
                        ? Map.of() : Map.of("status", response.getBody().getStatus().getCode())));
    }
}
