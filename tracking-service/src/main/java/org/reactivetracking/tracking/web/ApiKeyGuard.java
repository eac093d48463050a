package org.reactivetracking.tracking.web;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivetracking.tracking.PublicHandler;
import org.reactivetracking.tracking.PublicRoute;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * Default deny: every request needs the admin key ({@link AdminKey}) unless the route it is dispatched to is public.
 * The guard is the {@link DispatcherHandler}'s first handler mapping: it resolves the request through the
 * dispatcher's other mappings, in their order, and hands the dispatcher the handler they chose, or, for a request
 * without the key to a route that is not public, a handler that refuses it. So the decision is made on the very
 * handler that runs, never on the raw path (matrix parameters, percent-encoding, case or slashes cannot route a
 * request to a handler the guard did not see), nothing can change the request between the decision and the handler,
 * and a request is resolved once. Public are handler methods marked {@link PublicRoute}, router functions' handlers
 * that are {@link PublicHandler}s and the actuator's probes without details ({@link PublicProbes}).
 * <p>
 * A request no handler takes (no route: 404) gets no handler from the guard either; an annotated route refusing the
 * method, media type or accept header (405, 415, 406) fails the resolution as it would without the guard; the
 * dispatcher answers both. (The tracking routes answer their own 405 and 406, from a public handler.) A CORS
 * pre-flight is left to the other mappings, which answer it without running a handler.
 */
@Component
class ApiKeyGuard implements HandlerMapping, Ordered {

    private final AdminKey key;
    private final PublicProbes probes;
    private final ObjectProvider<DispatcherHandler> dispatcher;
    private final WebHandler refusal;
    private final Map<Method, Boolean> publicMethods = new ConcurrentHashMap<>();
    private volatile List<HandlerMapping> mappings;

    ApiKeyGuard(AdminKey key, PublicProbes probes, ObjectProvider<DispatcherHandler> dispatcher) {
        this.key = key;
        this.probes = probes;
        this.dispatcher = dispatcher;
        this.refusal = key::refuse;
    }

    @Override
    public Mono<Object> getHandler(ServerWebExchange exchange) {
        if (CorsUtils.isPreFlightRequest(exchange.getRequest())) {
            return Mono.empty();
        }
        boolean keyPresented = key.presentedBy(exchange.getRequest());
        return resolve(exchange, mappings(), 0).map(route -> keyPresented || isPublic(route, exchange)
                ? route.handler()
                : refusal);
    }

    /** The first of {@code mappings} from {@code index} on that takes the request, as the dispatcher tries them. */
    private static Mono<Route> resolve(ServerWebExchange exchange, List<HandlerMapping> mappings, int index) {
        if (index == mappings.size()) {
            return Mono.empty();
        }
        HandlerMapping mapping = mappings.get(index);
        return mapping.getHandler(exchange).map(handler -> new Route(mapping, handler))
                .switchIfEmpty(Mono.defer(() -> resolve(exchange, mappings, index + 1)));
    }

    private boolean isPublic(Route route, ServerWebExchange exchange) {
        if (route.handler() instanceof PublicHandler) {
            return true;
        }
        if (route.handler() instanceof HandlerMethod method && publicMethods.computeIfAbsent(method.getMethod(),
                candidate -> AnnotatedElementUtils.hasAnnotation(candidate, PublicRoute.class))) {
            return true;
        }
        return probes.isProbe(route.mapping(), exchange.getRequest());
    }

    /** Before every other mapping: the dispatcher asks the guard first. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** The handler a request is dispatched to, and the mapping that chose it. */
    private record Route(HandlerMapping mapping, Object handler) {
    }

    /** The dispatcher's other mappings, in its order, taken once it is initialised. */
    private List<HandlerMapping> mappings() {
        List<HandlerMapping> resolved = mappings;
        if (resolved == null) {
            resolved = dispatcher.getObject().getHandlerMappings().stream().filter(mapping -> mapping != this)
                    .toList();
            mappings = resolved;
        }
        return resolved;
    }
}
