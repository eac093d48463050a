package org.reactivetracking.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries trace context inside records, so one trace runs from the load balancer through Kinesis to the stores.
 * The header written is the AWS X-Ray one ({@code Root=1-...;Parent=...;Sampled=1}, as the ALB sets it); a W3C
 * {@code traceparent} (00-...) is read too.
 */
public final class TraceHeaders {

    static final String XRAY = "X-Amzn-Trace-Id";
    static final String W3C = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public TraceHeaders(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** The trace header of the current span, or empty when there is none. */
    public String current() {
        return of(tracer.currentSpan());
    }

    /**
     * The trace header of {@code span}, or empty when it is null. For a span not on this thread: a reactive request's
     * span travels in the Reactor context, not in a thread-local.
     */
    public String of(Span span) {
        if (span == null) {
            return "";
        }
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.getOrDefault(XRAY, carrier.getOrDefault(W3C, ""));
    }

    /** The trace header of the current span, or {@code fallback} (say, the request's own header) when none. */
    public String currentOr(String fallback) {
        return ofOr(tracer.currentSpan(), fallback);
    }

    /** The trace header of {@code span}, or {@code fallback} (say, the request's own header) when none. */
    public String ofOr(Span span, String fallback) {
        String header = of(span);
        return header.isEmpty() ? fallback : header;
    }

    /** A span named {@code name}, child of the context in {@code header} (a new trace when it holds none). */
    public Span.Builder childOf(String header, String name) {
        Map<String, String> carrier = new HashMap<>();
        if (header != null && !header.isBlank()) {
            carrier.put(header.startsWith("00-") ? W3C : XRAY, header);
        }
        return propagator.extract(carrier, Map::get).name(name);
    }
}
