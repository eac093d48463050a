package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.awspring.cloud.autoconfigure.metrics.CloudWatchAsyncClientCustomizer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    /**
     * The dashboard of deploy/stack.json queries the tracking service's metrics by name and exact dimension set
     * (Metrics Insights' {@code SCHEMA}): those are what this registry sends for the service's real meters.
     */
    @Test
    void sendsTheMetricsTheDashboardQueriesUnderTheDimensionsItNames() throws Exception {
        seedSamplePrograms();
        http.get().uri("/event/212313").exchange().expectStatus().isOk();
        JsonNode body = JsonMapper.shared().readTree(JsonMapper.shared().readTree(Path.of("..", "deploy",
                "stack.json").toFile()).get("Resources").get("Dashboard").get("Properties").get("DashboardBody")
                .get("Fn::Sub").stringValue());
        Pattern query = Pattern.compile("SELECT [A-Z]+\\(\"([^\"]+)\"\\) FROM SCHEMA\\(\"ReactiveTracking\","
                + " ([a-z, ]+)\\) WHERE service = 'tracking-service'.*");
        Map<String, Set<String>> queried = new TreeMap<>();
        for (JsonNode widget : body.get("widgets")) {
            for (JsonNode metric : widget.get("properties").get("metrics")) {
                Matcher insights = query.matcher(metric.get(0).path("expression").asString(""));
                // tracking.publisher.records: a series appears at the first event of its kind (a rejection);
                // DashboardTemplateTests checks it against the registry
                if (insights.matches() && !insights.group(1).equals("tracking.publisher.records.count")) {
                    queried.put(insights.group(1), new TreeSet<>(List.of(insights.group(2).split(", "))));
                }
            }
        }

        assertThat(queried).containsKeys("http.server.requests.count", "http.server.requests.max",
                "tracking.publisher.batch.size.avg", "tracking.publisher.records.per.kinesis.record.avg");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> queried.forEach((name, dimensions) ->
                assertThat(sent.stream().flatMap(request -> request.metricData().stream())
                        .filter(datum -> datum.metricName().equals(name)).map(datum -> dimensions(datum).keySet()))
                        .as(name).isNotEmpty().allSatisfy(sentDimensions -> assertThat(sentDimensions)
                                .isEqualTo(dimensions))));
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
