package org.reactivetracking.tracking.event;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.reactivetracking.model.RedirectRule;
import org.reactivetracking.tracking.InvalidRequestException;
import org.reactivetracking.tracking.PublicHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three tracking routes, public (they need no admin key), each answering only once Kinesis has accepted its event
 * ({@link EventTracker}), and problem details for every failure:
 * <ul>
 * <li>{@code GET /event/{programId}[?eid=<uuid>]}: the event as JSON. It stays a GET: pixels and links call it.</li>
 * <li>{@code GET /pixel/{programId}.gif[?eid=<uuid>]}: a 1×1 transparent GIF for an {@code <img>} tag.</li>
 * <li>{@code GET /click/{programId}?u=<url>[&eid=<uuid>]}: {@code 302} to {@code u}, only when the program's redirect
 * allow-list covers it ({@link RedirectRule}): never an open redirect. A missing, repeated, malformed or not allowed
 * {@code u} is {@code 400}, and nothing is recorded.</li>
 * </ul>
 * Any other method on these paths ({@code HEAD} and {@code OPTIONS} included) is {@code 405} with {@code Allow: GET},
 * with or without a key, and records nothing: link checkers and prefetchers that only ask for headers must not
 * record events. (A CORS pre-flight is answered by WebFlux's CORS handling before any handler.)
 * <p>
 * Router functions rather than controllers: the hot path skips the annotated dispatch (handler-method look-up,
 * argument resolution, result handling through the codecs), measured in BENCHMARKS.md, and the answers' bytes are
 * written as they are. Their failures are signalled, never thrown: WebFlux hands a signalled failure to the
 * {@code @ControllerAdvice} ({@link org.reactivetracking.tracking.web.ProblemDetailsAdvice}) as a controller's, while
 * one thrown out of a handler would bypass it.
 */
@Configuration(proxyBeanMethods = false)
class TrackingRoutes {

    static final String EVENT = "/event/{programId}";
    static final String PIXEL = "/pixel/{programId}.gif";
    static final String CLICK = "/click/{programId}";
    static final String DESTINATION = "u";

    /** The 43-byte transparent 1×1 GIF89a: a two-colour table, a transparency extension, one LZW-coded pixel. */
    static final byte[] TRANSPARENT_GIF = Base64.getDecoder()
            .decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    /** Before the actuator's endpoint mappings (-100); the guard's is {@code Ordered.HIGHEST_PRECEDENCE}. */
    static final int ROUTES_ORDER = -200;

    private static final String PROGRAM_ID = "programId";
    private static final List<MediaType> JSON_ONLY = List.of(MediaType.APPLICATION_JSON);
    private static final Set<HttpMethod> GET_ONLY = Set.of(HttpMethod.GET);

    private final EventTracker tracker;
    private final JsonMapper json;

    TrackingRoutes(EventTracker tracker, JsonMapper json) {
        this.tracker = tracker;
        this.json = json;
    }

    /**
     * The routes' own handler mapping, asked before every other: before the actuator's (order -100), whose look-up
     * through every endpoint's request mappings would otherwise run first on every tracking request. Its paths and
     * the actuator's ({@code /actuator/**}) are disjoint, so the order changes no request's handler, only what it
     * costs to find it. Not a {@code RouterFunction} bean, which WebFlux's own mapping (order -1) would route too.
     */
    @Bean
    RouterFunctionMapping trackingRouteMapping(ServerCodecConfigurer codecs) {
        RouterFunctionMapping mapping = new RouterFunctionMapping(router());
        mapping.setOrder(ROUTES_ORDER);
        mapping.setMessageReaders(codecs.getReaders());
        return mapping;
    }

    RouterFunction<ServerResponse> router() {
        return route(GET(EVENT), signalling(this::event))
                .andRoute(GET(PIXEL), signalling(this::pixel))
                .andRoute(GET(CLICK), signalling(this::click))
                .andRoute(path(EVENT).or(path(PIXEL)).or(path(CLICK)), signalling(TrackingRoutes::refuseMethod));
    }

    private Mono<ServerResponse> event(ServerRequest request) {
        if (!acceptsJson(request)) {
            throw new NotAcceptableStatusException(JSON_ONLY);
        }
        return tracker.track(request.pathVariable(PROGRAM_ID), httpRequest(request))
                .flatMap(event -> bytes(MediaType.APPLICATION_JSON, json.writeValueAsBytes(EventResponse.of(event))));
    }

    private Mono<ServerResponse> pixel(ServerRequest request) {
        return tracker.track(request.pathVariable(PROGRAM_ID), httpRequest(request))
                .flatMap(event -> bytes(MediaType.IMAGE_GIF, TRANSPARENT_GIF));
    }

    private Mono<ServerResponse> click(ServerRequest request) {
        ServerHttpRequest http = httpRequest(request);
        String destination = QueryParameters.single(http, DESTINATION).orElseThrow(
                () -> new InvalidRequestException("Redirect not allowed", "query parameter 'u' missing"));
        AtomicReference<URI> location = new AtomicReference<>();
        return tracker.track(request.pathVariable(PROGRAM_ID), http, program -> {
            try {
                location.set(RedirectRule.requireAllowed(destination, program.redirectAllowList()));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidRequestException("Redirect not allowed", ex.getMessage());
            }
        }).flatMap(event -> ServerResponse.status(HttpStatus.FOUND).location(location.get()).build());
    }

    private static Mono<ServerResponse> refuseMethod(ServerRequest request) {
        throw new MethodNotAllowedException(request.method(), GET_ONLY);
    }

    /** The handler as given, public, with whatever it throws signalled instead, so that the advice answers it. */
    private static PublicHandler signalling(Function<ServerRequest, Mono<ServerResponse>> handler) {
        return request -> Mono.defer(() -> handler.apply(request));
    }

    /** As {@code produces = "application/json"} would: no {@code Accept}, or one that takes JSON. */
    private static boolean acceptsJson(ServerRequest request) {
        List<MediaType> accepted;
        try {
            accepted = request.headers().accept();
        }
        catch (InvalidMediaTypeException ex) {
            return false; // a malformed Accept takes nothing: 406, as the annotated mapping answered it
        }
        return accepted.isEmpty() || accepted.stream().anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
    }

    private static ServerHttpRequest httpRequest(ServerRequest request) {
        return request.exchange().getRequest();
    }

    /** {@code 200} with these bytes as the body, written as they are (no encoder looked up). */
    private static Mono<ServerResponse> bytes(MediaType type, byte[] body) {
        BodyInserter<byte[], ReactiveHttpOutputMessage> inserter = (message, context) -> message
                .writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(body)));
        return ServerResponse.ok().contentType(type).contentLength(body.length).body(inserter);
    }
}
