package org.reactivetracking.tracking.web;

import org.reactivetracking.tracking.PublicRoute;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /openapi.yaml}: the OpenAPI 3.1 description of the public and admin API, written by hand
 * ({@code openapi.yaml} beside the service's classes) and checked against the routes the running service serves by
 * its tests. Public: it describes the admin API but grants nothing.
 */
@RestController
class OpenApiDocument {

    static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final Resource document = new ClassPathResource("openapi.yaml");

    @PublicRoute
    @GetMapping(path = "/openapi.yaml", produces = "application/yaml")
    ResponseEntity<Resource> document() {
        return ResponseEntity.ok().contentType(YAML).body(document);
    }
}
