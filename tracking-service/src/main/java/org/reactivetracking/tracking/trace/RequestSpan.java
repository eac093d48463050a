package org.reactivetracking.tracking.trace;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.TracingObservationHandler;
import reactor.util.context.ContextView;

/**
 * The span of the HTTP request being served, read where WebFlux keeps its observation: in the Reactor context.
 * Reactor does not copy the context into thread-locals on every operator here
 * ({@code spring.reactor.context-propagation: limited}), so code that needs the request's span asks for it.
 */
public final class RequestSpan {

    private RequestSpan() {
    }

    /** The request's span, or null outside a traced request. */
    public static Span of(ContextView context) {
        Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        return observation == null ? null : spanOf(observation.getContextView());
    }

    /** The span an observation carries, or null when it has none (tracing off, or not yet started). */
    static Span spanOf(Observation.ContextView observation) {
        TracingObservationHandler.TracingContext tracing = observation
                .get(TracingObservationHandler.TracingContext.class);
        return tracing == null ? null : tracing.getSpan();
    }

    /** true for a span whose trace is sampled: its spans are recorded and exported. */
    public static boolean sampled(Span span) {
        return span != null && !span.isNoop() && Boolean.TRUE.equals(span.context().sampled());
    }
}
