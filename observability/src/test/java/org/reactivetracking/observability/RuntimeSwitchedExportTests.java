package org.reactivetracking.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.awspring.cloud.autoconfigure.metrics.CloudWatchExportAutoConfiguration;
import io.awspring.cloud.autoconfigure.metrics.CloudWatchRegistryProperties;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The CloudWatch registry and the OTLP span exporter exist where their settings are set, and nowhere else, decided
 * when the context starts. Every auto-configuration on the classpath takes part (as in a service), so Spring Cloud
 * AWS's own CloudWatch export and Spring Boot's own OTLP exporter, which this module replaces, would show as a
 * second registry or exporter.
 */
class RuntimeSwitchedExportTests {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Service {
    }

    private final ApplicationContextRunner service = new ApplicationContextRunner()
            .withUserConfiguration(Service.class)
            .withPropertyValues("spring.cloud.aws.region.static=us-east-1",
                    "spring.cloud.aws.credentials.access-key=test", "spring.cloud.aws.credentials.secret-key=test",
                    // as in every service: metrics go to CloudWatch, not over OTLP
                    "management.otlp.metrics.export.enabled=false");

    @Test
    void withoutANamespaceNoMeterGoesToCloudWatch() {
        service.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(CloudWatchMeterRegistry.class)).isEmpty();
            assertThat(context.getBean(MeterRegistry.class)).isNotInstanceOf(CloudWatchMeterRegistry.class);
        });
    }

    @Test
    void aNamespaceAddsOneCloudWatchRegistryBesideTheOthers() {
        // enabled=false: the registry is built but never publishes (its endpoint is a closed port all the same)
        service.withPropertyValues("management.cloudwatch.metrics.export.namespace=tracking-test",
                "management.cloudwatch.metrics.export.enabled=false",
                "spring.cloud.aws.cloudwatch.endpoint=http://127.0.0.1:9").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(CloudWatchExportAutoConfiguration.class);
                    assertThat(context.getBeansOfType(CloudWatchMeterRegistry.class)).hasSize(1);
                    CloudWatchMeterRegistry cloudWatch = context.getBean(CloudWatchMeterRegistry.class);
                    assertThat(cloudWatch).isInstanceOf(
                            CloudWatchMetricsAutoConfiguration.ClientClosingCloudWatchMeterRegistry.class);
                    assertThat(context.getBean(MeterRegistry.class)).isInstanceOfSatisfying(
                            CompositeMeterRegistry.class, composite -> assertThat(composite.getRegistries())
                                    .contains(cloudWatch).hasSizeGreaterThan(1));
                    // the operator's meters only (CloudWatchMeterFilter)
                    context.getBean(MeterRegistry.class).counter("http.server.requests.active").increment();
                    context.getBean(MeterRegistry.class).counter("eventstore.dead.letters").increment();
                    assertThat(cloudWatch.getMeters()).extracting(meter -> meter.getId().getName())
                            .contains("eventstore.dead.letters").doesNotContain("http.server.requests.active");
                });
    }

    @Test
    void cloudWatchTurnedOffWinsOverTheNamespace() {
        service.withPropertyValues("management.cloudwatch.metrics.export.namespace=tracking-test",
                "spring.cloud.aws.cloudwatch.enabled=false").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(CloudWatchMeterRegistry.class)).isEmpty();
                });
    }

    @Test
    void theRegistryTakesTheNamespaceStepAndBatchSizeFromTheSettings() {
        CloudWatchRegistryProperties properties = new CloudWatchRegistryProperties();
        properties.setNamespace("tracking-test");
        properties.setStep(Duration.ofSeconds(10));
        var config = new CloudWatchMetricsAutoConfiguration.Config(properties);
        assertThat(config.namespace()).isEqualTo("tracking-test");
        assertThat(config.step()).hasSeconds(10);
        assertThat(config.batchSize()).as("Spring Cloud AWS's default, within PutMetricData's limit").isEqualTo(20);
    }

    @Test
    void withoutAnEndpointNoSpanIsExported() {
        service.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
        });
    }

    @Test
    void anEndpointTurnsOneOtlpExporterOn() {
        service.withPropertyValues(OtlpSpanExportAutoConfiguration.ENDPOINT + "=http://127.0.0.1:9/v1/traces")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(SpanExporter.class)).hasSize(1).allSatisfy(
                            (name, exporter) -> assertThat(exporter).isInstanceOf(OtlpHttpSpanExporter.class)
                                    .asString().contains("127.0.0.1:9/v1/traces"));
                });
    }

    @Test
    void exportTurnedOffWinsOverTheEndpoint() {
        service.withPropertyValues(OtlpSpanExportAutoConfiguration.ENDPOINT + "=http://127.0.0.1:9/v1/traces",
                "management.tracing.export.otlp.enabled=false")
                .run(context -> assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty());
        service.withPropertyValues(OtlpSpanExportAutoConfiguration.ENDPOINT + "=http://127.0.0.1:9/v1/traces",
                "management.tracing.export.enabled=false")
                .run(context -> assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty());
    }

    @Test
    void theOtlpSwitchWinsOverTheGlobalOneAsInBoot() {
        service.withPropertyValues(OtlpSpanExportAutoConfiguration.ENDPOINT + "=http://127.0.0.1:9/v1/traces",
                "management.tracing.export.enabled=false", "management.tracing.export.otlp.enabled=true")
                .run(context -> assertThat(context.getBeansOfType(SpanExporter.class)).hasSize(1));
    }

    @Test
    void otlpOverGrpcIsRefusedNamingTheSetting() {
        service.withPropertyValues(OtlpSpanExportAutoConfiguration.ENDPOINT + "=http://127.0.0.1:9",
                OtlpSpanExportAutoConfiguration.TRANSPORT + "=grpc").run(context -> assertThat(context)
                        .getFailure().rootCause().hasMessageContaining(OtlpSpanExportAutoConfiguration.TRANSPORT));
    }
}
