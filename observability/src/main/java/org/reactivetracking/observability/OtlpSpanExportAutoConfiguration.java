package org.reactivetracking.observability;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.Transport;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Spans over OTLP/HTTP to the ADOT collector, only where
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} is set (on ECS: the collector's port 4318), and
 * decided when the context starts: the images run with Spring's AOT processing, which fixes conditions when the image
 * is built, and Spring Boot's exporter exists only under a condition on the endpoint. This bean is always defined (so
 * Boot's backs off) and is null (no exporter) without an endpoint, or where export is off:
 * {@code management.tracing.export.otlp.enabled=false}, or {@code management.tracing.export.enabled=false} without
 * the former (as Boot's condition reads them). It is built
 * as Boot builds its own from {@code management.opentelemetry.tracing.export.otlp.*}; OTLP over gRPC is refused at
 * start, naming the setting.
 */
@AutoConfiguration(before = OtlpTracingAutoConfiguration.class)
@ConditionalOnClass(OtlpHttpSpanExporter.class)
@EnableConfigurationProperties(OtlpTracingProperties.class)
public class OtlpSpanExportAutoConfiguration {

    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    static final String TRANSPORT = "management.opentelemetry.tracing.export.otlp.transport";

    @Bean
    @Nullable OtlpHttpSpanExporter otlpHttpSpanExporter(OtlpTracingProperties otlp, Environment environment,
            ObjectProvider<MeterProvider> meterProvider,
            ObjectProvider<OtlpHttpSpanExporterBuilderCustomizer> customizers) {
        Boolean otlpExport = environment.getProperty("management.tracing.export.otlp.enabled", Boolean.class);
        boolean enabled = (otlpExport != null) ? otlpExport
                : environment.getProperty("management.tracing.export.enabled", Boolean.class, true);
        if (!enabled || !StringUtils.hasText(otlp.getEndpoint())) {
            return null;
        }
        if (otlp.getTransport() == Transport.GRPC) {
            throw new IllegalStateException(TRANSPORT + "=grpc is not supported: the services export spans over "
                    + "OTLP/HTTP (the ADOT collector's port 4318); remove the setting and point " + ENDPOINT
                    + " at the collector's HTTP endpoint");
        }
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(otlp.getEndpoint())
                .setTimeout(otlp.getTimeout())
                .setConnectTimeout(otlp.getConnectTimeout())
                .setCompression(otlp.getCompression().name().toLowerCase(Locale.ROOT));
        otlp.getHeaders().forEach(builder::addHeader);
        meterProvider.ifAvailable(builder::setMeterProvider);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }
}
