package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The OpenAPI document cannot drift from the service: every route the service maps is documented and every
 * documented operation is routed (resolved through the running dispatcher's own handler mappings, without running a
 * handler), the admin key is declared on exactly the routes the guard protects, and the answers of real requests
 * (status, headers, media type) are the documented ones.
 */
class OpenApiDocumentTests extends EngineBackedTests {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "head", "patch", "options",
            "trace");

    @Autowired
    DispatcherHandler dispatcher;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping controllers;

    Map<String, Object> document;

    @BeforeEach
    void fetchTheDocument() {
        seedSamplePrograms();
        String yaml = http.get().uri("/openapi.yaml").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith("application/yaml")
                .expectBody(String.class).returnResult().getResponseBody();
        document = new Yaml().load(yaml);
    }

    @Test
    void isAnOpenApi31DocumentDeclaringTheAdminKey() {
        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        assertThat(map(map(map(document, "components"), "securitySchemes"), "adminKey"))
                .containsEntry("type", "apiKey").containsEntry("in", "header").containsEntry("name", "X-Api-Key");
    }

    @Test
    void documentsEveryMappedRouteAndNothingTheServiceDoesNotRoute() {
        Set<String> documented = new TreeSet<>(operations().keySet());
        Set<String> mapped = new TreeSet<>();
        controllers.getHandlerMethods().keySet().forEach(info -> info.getPatternsCondition().getPatterns()
                .forEach(path -> info.getMethodsCondition().getMethods()
                        .forEach(method -> mapped.add(method.name() + " " + path.getPatternString()))));
        dispatcher.getHandlerMappings().stream().filter(RouterFunctionMapping.class::isInstance)
                .map(mapping -> ((RouterFunctionMapping) mapping).getRouterFunction()).filter(Objects::nonNull)
                .forEach(router -> router.accept(new RoutedOperations(mapped)));
        assertThat(mapped).as("the tracking routes are router functions").contains("GET /event/{programId}",
                "GET /pixel/{programId}.gif", "GET /click/{programId}");

        assertThat(documented).as("every mapped route documented").containsAll(mapped);
        List<String> unrouted = new ArrayList<>();
        for (String operation : documented) {
            if (handlerFor(operation) == null) {
                unrouted.add(operation);
            }
        }
        assertThat(unrouted).as("documented but not routed").isEmpty();
    }

    @Test
    void declaresTheAdminKeyOnExactlyTheRoutesTheGuardProtects() {
        List<String> wrong = new ArrayList<>();
        operations().forEach((operation, spec) -> {
            Object handler = handlerFor(operation);
            boolean publicRoute = handler instanceof HandlerMethod method
                    && AnnotatedElementUtils.hasAnnotation(method.getMethod(), PublicRoute.class)
                    || handler instanceof PublicHandler
                    || operation.startsWith("GET /actuator/health/");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> security = (List<Map<String, Object>>) spec.getOrDefault("security",
                    document.get("security"));
            boolean declaresKey = security.stream().anyMatch(requirement -> requirement.containsKey("adminKey"));
            if (publicRoute == declaresKey) {
                wrong.add(operation + (publicRoute ? " is public" : " needs the key"));
            }
            if (declaresKey) {
                // refused by the guard before any handler runs: no side effect
                int status = http.method(HttpMethod.valueOf(operation.split(" ")[0]))
                        .uri(concrete(operation.split(" ")[1])).exchange().returnResult(byte[].class)
                        .getStatus().value();
                if (status != 401) {
                    wrong.add(operation + " without the key answered " + status);
                }
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void documentsTheAnswersOfTheMainCases() {
        List<String> mismatches = new ArrayList<>();
        check("GET /event/{programId}", http.get().uri("/event/212312").exchange(), mismatches);
        check("GET /event/{programId}", http.get().uri("/event/999999").exchange(), mismatches);
        check("GET /event/{programId}", http.get().uri("/event/a:b").exchange(), mismatches);
        check("GET /event/{programId}", http.get().uri("/event/212312?eid=x").exchange(), mismatches);
        check("HEAD /event/{programId}", http.head().uri("/event/212312").exchange(), mismatches);
        check("GET /pixel/{programId}.gif", http.get().uri("/pixel/212312.gif").exchange(), mismatches);
        check("GET /pixel/{programId}.gif", http.get().uri("/pixel/999999.gif").exchange(), mismatches);
        check("HEAD /pixel/{programId}.gif", http.head().uri("/pixel/212312.gif").exchange(), mismatches);
        check("GET /click/{programId}", http.get().uri("/click/212312?u=https://shop.example.com/a").exchange(),
                mismatches);
        check("GET /click/{programId}", http.get().uri("/click/212312?u=https://evil.com/").exchange(), mismatches);
        check("GET /click/{programId}", http.get().uri("/click/212312").exchange(), mismatches);
        check("HEAD /click/{programId}", http.head().uri("/click/212312?u=https://shop.example.com/").exchange(),
                mismatches);
        check("POST /cache/purge", http.post().uri("/cache/purge").exchange(), mismatches);
        check("POST /cache/fill", http.post().uri("/cache/fill").header("X-Api-Key", API_KEY).exchange(),
                mismatches);
        check("POST /cache/fill", http.post().uri("/cache/fill").header("X-Api-Key", API_KEY)
                .contentType(MediaType.TEXT_PLAIN).bodyValue("x").exchange(), mismatches);
        check("PUT /programs/{programId}", http.put().uri("/programs/openapi-check").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("programName", "n", "checksum", "c",
                        "customerId", 1, "customerName", "c", "valid", true,
                        "redirectAllowList", List.of("https://example.com/")))
                .exchange(), mismatches);
        check("PUT /programs/{programId}", http.put().uri("/programs/openapi-check").header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(), mismatches);
        check("DELETE /programs/{programId}", http.delete().uri("/programs/openapi-check")
                .header("X-Api-Key", API_KEY).exchange(), mismatches);
        check("GET /health/check", http.get().uri("/health/check").exchange(), mismatches);
        check("GET /actuator/health/liveness", http.get().uri("/actuator/health/liveness").exchange(), mismatches);
        check("GET /openapi.yaml", http.get().uri("/openapi.yaml").exchange(), mismatches);
        assertThat(mismatches).isEmpty();
    }

    /** The real answer's status is documented, with every required header (and its constant value) and media type. */
    private void check(String operation, WebTestClient.ResponseSpec spec,
            List<String> mismatches) {
        EntityExchangeResult<byte[]> result = spec.expectBody().returnResult();
        String status = String.valueOf(result.getStatus().value());
        Map<String, Object> response = map(map(operations().get(operation), "responses"), status);
        if (response == null) {
            mismatches.add(operation + ": " + status + " not documented");
            return;
        }
        Map<String, Object> headers = map(response, "headers");
        if (headers != null) {
            headers.forEach((name, declared) -> {
                Map<String, Object> header = resolve(declared);
                String actual = result.getResponseHeaders().getFirst(name);
                Object constant = map(header, "schema") == null ? null : map(header, "schema").get("const");
                if (Boolean.TRUE.equals(header.get("required")) && actual == null) {
                    mismatches.add(operation + " " + status + ": header " + name + " missing");
                }
                else if (constant != null && actual != null && !String.valueOf(constant).equals(actual)) {
                    mismatches.add(operation + " " + status + ": header " + name + " is " + actual);
                }
            });
        }
        Map<String, Object> content = map(response, "content");
        MediaType type = result.getResponseHeaders().getContentType();
        if (content == null) {
            if (result.getResponseBody() != null && result.getResponseBody().length > 0) {
                mismatches.add(operation + " " + status + ": a body, none documented");
            }
        }
        else if (type == null || content.keySet().stream().map(MediaType::parseMediaType)
                .noneMatch(documented -> documented.isCompatibleWith(type))) {
            mismatches.add(operation + " " + status + ": " + type + " not among " + content.keySet());
        }
    }

    /** Every documented operation as "METHOD path", with its specification. */
    private Map<String, Map<String, Object>> operations() {
        Map<String, Map<String, Object>> operations = new LinkedHashMap<>();
        map(document, "paths").forEach((path, item) -> ((Map<?, ?>) item).forEach((method, spec) -> {
            if (METHODS.contains(method)) {
                operations.put(method.toString().toUpperCase() + " " + path, cast(spec));
            }
        }));
        return operations;
    }

    /** The handler the running service dispatches the operation to, or {@code null} (no route, 405, 406, 415). */
    private Object handlerFor(String operation) {
        String[] parts = operation.split(" ");
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest
                .method(HttpMethod.valueOf(parts[0]), concrete(parts[1])).header("X-Api-Key", API_KEY)
                .contentType(MediaType.APPLICATION_JSON));
        List<HandlerMapping> mappings = dispatcher.getHandlerMappings();
        return Flux.fromIterable(mappings).concatMap(mapping -> mapping.getHandler(exchange)).next()
                .onErrorResume(ex -> Mono.empty()).block();
    }

    private static String concrete(String path) {
        return path.replace("{programId}", "212312");
    }

    private Map<String, Object> resolve(Object node) {
        Map<String, Object> map = cast(node);
        Object ref = map.get("$ref");
        if (ref == null) {
            return map;
        }
        Map<String, Object> target = document;
        for (String part : ref.toString().substring(2).split("/")) {
            target = map(target, part);
        }
        return target;
    }

    private Map<String, Object> map(Map<String, Object> parent, String key) {
        return parent == null || parent.get(key) == null ? null : resolve(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object node) {
        return (Map<String, Object>) node;
    }

    /**
     * Adds {@code "METHOD path"} for each router function route that names its methods and path; a route on paths
     * alone (every other method on them, refused) adds nothing.
     */
    private static final class RoutedOperations implements RouterFunctions.Visitor, RequestPredicates.Visitor {

        private final Set<String> operations;
        private final Set<HttpMethod> methods = new LinkedHashSet<>();
        private final List<String> paths = new ArrayList<>();

        RoutedOperations(Set<String> operations) {
            this.operations = operations;
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handler) {
            methods.clear();
            paths.clear();
            predicate.accept(this);
            methods.forEach(method -> paths.forEach(path -> operations.add(method.name() + " " + path)));
        }

        @Override
        public void method(Set<HttpMethod> routed) {
            methods.addAll(routed);
        }

        @Override
        public void path(String pattern) {
            paths.add(pattern);
        }

        @Override
        public void startNested(RequestPredicate predicate) {
            throw new UnsupportedOperationException("nested routes: " + predicate);
        }

        @Override
        public void unknown(RequestPredicate predicate) {
            throw new UnsupportedOperationException("a predicate this test cannot read: " + predicate);
        }

        @Override
        public void unknown(RouterFunction<?> function) {
            throw new UnsupportedOperationException("a router function this test cannot read: " + function);
        }

        @Override
        public void endNested(RequestPredicate predicate) {
        }

        @Override
        public void resources(Function<ServerRequest, Mono<Resource>> lookup) {
        }

        @Override
        public void attributes(Map<String, Object> attributes) {
        }

        @Override
        public void pathExtension(String extension) {
        }

        @Override
        public void header(String name, String value) {
        }

        @Override
        public void queryParam(String name, String value) {
        }

        @Override
        public void version(String version) {
        }

        @Override
        public void startAnd() {
        }

        @Override
        public void and() {
        }

        @Override
        public void endAnd() {
        }

        @Override
        public void startOr() {
        }

        @Override
        public void or() {
        }

        @Override
        public void endOr() {
        }

        @Override
        public void startNegate() {
        }

        @Override
        public void endNegate() {
        }
    }
}
