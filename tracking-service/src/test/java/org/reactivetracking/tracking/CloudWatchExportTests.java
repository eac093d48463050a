package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.autoconfigure.metrics.CloudWatchAsyncClientCustomizer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;

/**
 * The real CloudWatch registry, switched on by a namespace as in deploy/: what it sends is captured by an SDK
 * interceptor, which then ends the call (and the endpoint is a closed loopback port), so nothing leaves the machine.
 */
@TestPropertySource(properties = {
        "management.cloudwatch.metrics.export.namespace=ReactiveTracking",
        "management.cloudwatch.metrics.export.step=1s",
        "spring.cloud.aws.cloudwatch.endpoint=http://127.0.0.1:9",
        "ENVIRONMENT=test" })
@Import(CloudWatchExportTests.Capture.class)
@DirtiesContext
class CloudWatchExportTests extends EngineBackedTests {

    static final List<PutMetricDataRequest> sent = new CopyOnWriteArrayList<>();

    @Test
    void exportsTheOperatorMetersTaggedWithServiceAndEnvironment() {
        seedSamplePrograms();
        http.get().uri("/event/212313").exchange().expectStatus().isOk();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> acceptedEvents().stream().mapToDouble(MetricDatum::value).sum() >= 1);

        assertThat(sent).allSatisfy(request -> assertThat(request.namespace()).isEqualTo("ReactiveTracking"));
        assertThat(names()).anyMatch(name -> name.startsWith("http.server.requests"))
                .anyMatch(name -> name.startsWith("jvm.memory.used"))
                .noneMatch(name -> name.startsWith("jvm.classes"))
                .noneMatch(name -> name.startsWith("logback"));
        assertThat(acceptedEvents()).allSatisfy(datum -> assertThat(dimensions(datum))
                .containsEntry("service", "tracking-service").containsEntry("environment", "test"));
    }

    /** What was sent for "events accepted onto the event stream". */
    private static List<MetricDatum> acceptedEvents() {
        return sent.stream().flatMap(request -> request.metricData().stream())
                .filter(datum -> datum.metricName().startsWith("tracking.publisher.records"))
                .filter(datum -> "accepted".equals(dimensions(datum).get("outcome")))
                .filter(datum -> EVENTS.equals(dimensions(datum).get("stream"))).toList();
    }

    private static List<String> names() {
        return sent.stream().flatMap(request -> request.metricData().stream()).map(MetricDatum::metricName)
                .distinct().toList();
    }

    private static Map<String, String> dimensions(MetricDatum datum) {
        return datum.dimensions().stream().collect(Collectors.toMap(Dimension::name, Dimension::value));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Capture {

        @Bean
        CloudWatchAsyncClientCustomizer capturePutMetricData() {
            return builder -> builder.overrideConfiguration(config -> config.addExecutionInterceptor(
                    new ExecutionInterceptor() {
                        @Override
                        public void beforeExecution(Context.BeforeExecution context,
                                ExecutionAttributes attributes) {
                            if (context.request() instanceof PutMetricDataRequest request) {
                                sent.add(request);
                            }
                            // captured: end the call here, before any connection attempt or retry
                            throw SdkClientException.create("captured by the test");
                        }
                    }));
        }
    }
}
