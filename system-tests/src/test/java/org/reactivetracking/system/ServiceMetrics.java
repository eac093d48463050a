package org.reactivetracking.system;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.yaml.snakeyaml.Yaml;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;

/**
 * The CloudWatch metrics a service sends for its meters, as Micrometer's CloudWatch registry (the one Spring Cloud
 * AWS gives the services) makes them: the metric name with the suffix the registry adds per meter type, and one
 * dimension per tag, the service's common tags ({@code management.metrics.tags} of its application.yml) included.
 * Nothing here restates the registry's rules: the registry itself publishes, into a client that keeps the requests.
 */
final class ServiceMetrics {

    /** A metric as CloudWatch receives it: name and dimensions (name to value). */
    record Metric(String namespace, String name, Map<String, String> dimensions) {
    }

    private final String namespace;
    private final Tags commonTags;

    private ServiceMetrics(String namespace, Tags commonTags) {
        this.namespace = namespace;
        this.commonTags = commonTags;
    }

    /**
     * The metrics of {@code service} deployed with {@code environment} as its {@code ENVIRONMENT}, exported to
     * {@code namespace}.
     */
    static ServiceMetrics of(String service, String namespace, String environment) throws IOException {
        Map<String, Object> settings;
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("service-jars.dir"), service,
                "src/main/resources/application.yml"))) {
            settings = new Yaml().load(in);
        }
        String applicationName = (String) nested(settings, "spring", "application").get("name");
        Tags tags = Tags.empty();
        for (Map.Entry<String, Object> tag : nested(settings, "management", "metrics", "tags").entrySet()) {
            String value = tag.getValue().toString().replace("${spring.application.name}", applicationName)
                    .replaceAll("\\$\\{ENVIRONMENT(:[^}]*)?}", environment);
            if (value.contains("${")) {
                throw new IllegalStateException(service + ": cannot resolve the metric tag " + tag);
            }
            tags = tags.and(tag.getKey(), value);
        }
        return new ServiceMetrics(namespace, tags);
    }

    /** What the registry sends for a gauge. */
    Metric gauge(String name, String... tags) {
        return published(registry -> Gauge.builder(name, () -> 0).tags(tags).register(registry));
    }

    /** What the registry sends for a counter. */
    Metric counter(String name, String... tags) {
        return published(registry -> Counter.builder(name).tags(tags).register(registry).increment());
    }

    /** What the registry sends for a timer or a distribution summary: one metric per statistic, by name. */
    Map<String, Metric> distribution(String name, String... tags) {
        Map<String, Metric> metrics = new TreeMap<>();
        sent(registry -> DistributionSummary.builder(name).tags(tags).register(registry).record(1))
                .forEach(metric -> metrics.put(metric.name(), metric));
        return metrics;
    }

    private Metric published(Consumer<MeterRegistry> meter) {
        List<Metric> sent = sent(meter);
        if (sent.size() != 1) {
            throw new IllegalStateException("expected one metric, the registry sent " + sent);
        }
        return sent.get(0);
    }

    private List<Metric> sent(Consumer<MeterRegistry> meter) {
        List<PutMetricDataRequest> sent = new CopyOnWriteArrayList<>();
        CloudWatchMeterRegistry registry = new CloudWatchMeterRegistry(new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return namespace;
            }
        }, Clock.SYSTEM, new KeepingClient(sent));
        registry.config().commonTags(commonTags);
        meter.accept(registry);
        registry.close(); // publishes what it holds
        List<Metric> metrics = new ArrayList<>();
        for (PutMetricDataRequest request : sent) {
            for (MetricDatum datum : request.metricData()) {
                Map<String, String> dimensions = new TreeMap<>();
                datum.dimensions().forEach(dimension -> dimensions.put(dimension.name(), dimension.value()));
                metrics.add(new Metric(request.namespace(), datum.metricName(), dimensions));
            }
        }
        return metrics;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> nested(Map<String, Object> settings, String... path) {
        Map<String, Object> level = settings;
        for (String key : path) {
            level = (Map<String, Object>) level.get(key);
        }
        return level;
    }

    /** Keeps what the registry puts; every other call is the SDK's default (unsupported). */
    private record KeepingClient(List<PutMetricDataRequest> sent) implements CloudWatchAsyncClient {

        @Override
        public CompletableFuture<PutMetricDataResponse> putMetricData(PutMetricDataRequest request) {
            sent.add(request);
            return CompletableFuture.completedFuture(PutMetricDataResponse.builder().build());
        }

        @Override
        public String serviceName() {
            return "cloudwatch";
        }

        @Override
        public void close() {
        }
    }
}
