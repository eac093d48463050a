package org.reactivetracking.tracking.web;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivetracking.tracking.PublicRoute;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Default deny: every request needs the admin key ({@link AdminKey}) unless the route it is dispatched to is public.
 * The decision is made on the handler the request resolves to, through the same handler mappings, in the same order,
 * as the {@link DispatcherHandler} that will run it, never on the raw path: matrix parameters, percent-encoding,
 * case or slashes cannot route a request to a handler the guard did not see. Public are handler methods marked
 * {@link PublicRoute} and the actuator's probes without details ({@link PublicProbes}).
 * <p>
 * Requests no handler takes (no route: 404; a route refusing the method, media type or accept header: 405, 415,
 * 406; a CORS pre-flight, which the dispatcher answers without running a handler) go on to the dispatcher, which
 * answers them without running any handler.
 * <p>
 * Runs last among the filters, so no later filter can change the request between the decision and the dispatch.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class ApiKeyGuard implements WebFilter {

    private final AdminKey key;
    private final PublicProbes probes;
    private final ObjectProvider<DispatcherHandler> dispatcher;
    private final Map<Method, Boolean> publicMethods = new ConcurrentHashMap<>();
    private volatile List<HandlerMapping> mappings;

    ApiKeyGuard(AdminKey key, PublicProbes probes, ObjectProvider<DispatcherHandler> dispatcher) {
        this.key = key;
        this.probes = probes;
        this.dispatcher = dispatcher;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (key.presentedBy(exchange.getRequest()) || CorsUtils.isPreFlightRequest(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        return Flux.fromIterable(mappings())
                .concatMap(mapping -> mapping.getHandler(exchange).map(handler -> new Route(mapping, handler)))
                .next()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                // the mapping refused the request (405, 415, 406): the dispatcher answers it without a handler
                .onErrorReturn(Optional.empty())
                // an error in the decision itself propagates: it never opens the route
                .flatMap(route -> route.isEmpty() || isPublic(route.get(), exchange) ? chain.filter(exchange)
                        : key.refuse(exchange));
    }

    private boolean isPublic(Route route, ServerWebExchange exchange) {
        if (route.handler() instanceof HandlerMethod method && publicMethods.computeIfAbsent(method.getMethod(),
                candidate -> AnnotatedElementUtils.hasAnnotation(candidate, PublicRoute.class))) {
            return true;
        }
        return probes.isProbe(route.mapping(), exchange.getRequest());
    }

    /** The handler a request is dispatched to, and the mapping that chose it. */
    private record Route(HandlerMapping mapping, Object handler) {
    }

    /** The dispatcher's own list, taken once it is initialised. */
    private List<HandlerMapping> mappings() {
        List<HandlerMapping> resolved = mappings;
        if (resolved == null) {
            resolved = dispatcher.getObject().getHandlerMappings();
            mappings = resolved;
        }
        return resolved;
    }
}
