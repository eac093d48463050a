package org.reactivetracking.tracking.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.webflux.actuate.endpoint.web.AbstractWebFluxEndpointHandlerMapping;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.HandlerMapping;

/**
 * The actuator's public paths: the liveness and readiness probes ({@code /actuator/health/liveness},
 * {@code /actuator/health/readiness}), whose groups show neither details nor components (application.yml). A
 * request is a probe only when its path is exactly one of these, as sent: any variant (matrix parameters,
 * percent-encoding, a trailing slash, a sub-path naming a component) needs the key.
 */
@Component
class PublicProbes {

    private static final List<String> PROBE_GROUPS = List.of("liveness", "readiness");

    private final ObjectProvider<PathMappedEndpoints> endpoints;
    private final ObjectProvider<HealthEndpointGroups> groups;
    private volatile Set<String> paths;

    PublicProbes(ObjectProvider<PathMappedEndpoints> endpoints, ObjectProvider<HealthEndpointGroups> groups) {
        this.endpoints = endpoints;
        this.groups = groups;
    }

    /** The request was routed by the actuator, to exactly a probe's path. */
    boolean isProbe(HandlerMapping mapping, ServerHttpRequest request) {
        return mapping instanceof AbstractWebFluxEndpointHandlerMapping
                && paths().contains(request.getPath().pathWithinApplication().value());
    }

    private Set<String> paths() {
        Set<String> resolved = paths;
        if (resolved == null) {
            resolved = resolve();
            paths = resolved;
        }
        return resolved;
    }

    private Set<String> resolve() {
        HealthEndpointGroups healthGroups = groups.getIfAvailable();
        PathMappedEndpoints mapped = endpoints.getIfAvailable();
        String healthPath = mapped == null ? null : mapped.getPath(HealthEndpoint.ID);
        if (healthGroups == null || healthPath == null) {
            return Set.of();
        }
        return PROBE_GROUPS.stream().filter(name -> healthGroups.get(name) != null)
                .map(name -> healthPath + "/" + name).collect(Collectors.toUnmodifiableSet());
    }
}
