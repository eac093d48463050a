package org.reactivetracking.observability;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Tracing into AWS X-Ray through OpenTelemetry (not the X-Ray SDK, which is in maintenance and does not support
 * WebFlux): Spring Boot's Micrometer Tracing with the OpenTelemetry bridge exports spans over OTLP to the ADOT
 * collector, and this adds the X-Ray propagator beside W3C, so the ALB's {@code X-Amzn-Trace-Id} is honoured.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
public class TracingAutoConfiguration {

    @Bean
    TextMapPropagator awsXrayPropagator() {
        return AwsXrayPropagator.getInstance();
    }

    @Bean
    @ConditionalOnBean({ Tracer.class, Propagator.class })
    TraceHeaders traceHeaders(Tracer tracer, Propagator propagator) {
        return new TraceHeaders(tracer, propagator);
    }
}
