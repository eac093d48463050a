package org.reactivetracking.tracking.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.TracingObservationHandler;
import org.junit.jupiter.api.Test;

class UnsampledRequestPredicateTests {

    private final UnsampledRequestPredicate predicate = new UnsampledRequestPredicate();

    @Test
    void makesNoObservationUnderAnUnsampledRequest() {
        assertThat(predicate.test("lettuce", childOf(request(span(false))))).isFalse();
    }

    @Test
    void makesObservationsUnderASampledRequest() {
        assertThat(predicate.test("lettuce", childOf(request(span(true))))).isTrue();
    }

    @Test
    void makesTheRequestsOwnObservationAndThoseOutsideARequest() {
        assertThat(predicate.test("http.server.requests", new Observation.Context())).isTrue();
        assertThat(predicate.test("lettuce", childOf(request(null)))).isTrue();
    }

    private static Observation request(Span span) {
        ObservationRegistry registry = ObservationRegistry.create();
        // a registry without a handler makes no-op observations, which hold nothing
        registry.observationConfig().observationHandler(context -> true);
        Observation request = Observation.start("http.server.requests", registry);
        if (span != null) {
            TracingObservationHandler.TracingContext tracing = new TracingObservationHandler.TracingContext();
            tracing.setSpan(span);
            request.getContext().put(TracingObservationHandler.TracingContext.class, tracing);
        }
        return request;
    }

    private static Observation.Context childOf(Observation parent) {
        Observation.Context child = new Observation.Context();
        child.setParentObservation(parent);
        return child;
    }

    private static Span span(boolean sampled) {
        Span span = mock(Span.class);
        TraceContext context = mock(TraceContext.class);
        when(span.isNoop()).thenReturn(!sampled);
        when(span.context()).thenReturn(context);
        when(context.sampled()).thenReturn(sampled);
        return span;
    }
}
