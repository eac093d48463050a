package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.reactivetracking.system.ServiceMetrics.Metric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's view in deploy/stack.json: the CloudWatch dashboard (a body {@code PutDashboard} takes, every widget
 * on a metric that is sent: the services' under the name and dimensions Micrometer's CloudWatch registry gives them,
 * AWS's under the names and dimensions AWS documents), its URL as a stack output, and the cache engine.
 */
class DashboardTemplateTests {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    /** A Metrics Insights query over one metric of the services' namespace. */
    private static final Pattern INSIGHTS = Pattern.compile("SELECT (SUM|AVG|MAX)\\(\"([^\"]+)\"\\) FROM SCHEMA\\("
            + "\"ReactiveTracking\", ([a-z, ]+)\\) WHERE service = '([a-z-]+)' AND environment = '\\$\\{Environment}'"
            + "(?: AND [a-z]+ = '[a-z]+')? GROUP BY [a-z]+");
    /** AWS's metrics the dashboard may name, with their dimensions (the AWS documentation of each service). */
    private static final Map<String, Set<String>> AWS_METRICS = Map.ofEntries(
            Map.entry("AWS/Kinesis IncomingRecords", Set.of("StreamName")),
            Map.entry("AWS/Kinesis GetRecords.IteratorAgeMilliseconds", Set.of("StreamName")),
            Map.entry("AWS/ApplicationELB TargetResponseTime", Set.of("LoadBalancer", "TargetGroup")),
            Map.entry("AWS/ApplicationELB HTTPCode_Target_2XX_Count", Set.of("LoadBalancer", "TargetGroup")),
            Map.entry("AWS/ApplicationELB HTTPCode_Target_4XX_Count", Set.of("LoadBalancer", "TargetGroup")),
            Map.entry("AWS/ApplicationELB HTTPCode_Target_5XX_Count", Set.of("LoadBalancer", "TargetGroup")),
            Map.entry("AWS/ApplicationELB HTTPCode_ELB_4XX_Count", Set.of("LoadBalancer")),
            Map.entry("AWS/ApplicationELB HTTPCode_ELB_5XX_Count", Set.of("LoadBalancer")),
            Map.entry("AWS/WAFV2 BlockedRequests", Set.of("WebACL", "Region", "Rule")),
            Map.entry("AWS/WAFV2 AllowedRequests", Set.of("WebACL", "Region", "Rule")),
            Map.entry("AWS/ElastiCache EngineCPUUtilization", Set.of("CacheClusterId")),
            Map.entry("AWS/ElastiCache DatabaseMemoryUsagePercentage", Set.of("CacheClusterId")),
            Map.entry("AWS/ElastiCache Evictions", Set.of("CacheClusterId")),
            Map.entry("ECS/ContainerInsights RunningTaskCount", Set.of("ClusterName", "ServiceName")));

    private final StackTemplate deployed = StackTemplate.deployedWith(Map.of("DeployServices", "true"));

    @Test
    void isADashboardBodyPutDashboardTakes() {
        JsonNode body = body();

        assertThat(body.get("widgets")).hasSizeGreaterThanOrEqualTo(12).allSatisfy(widget -> {
            assertThat(widget.get("type").stringValue()).isEqualTo("metric");
            int x = widget.get("x").intValue();
            int width = widget.get("width").intValue();
            assertThat(x).isBetween(0, 23);
            assertThat(width).isBetween(1, 24 - x);
            assertThat(widget.get("y").intValue()).isNotNegative();
            assertThat(widget.get("height").intValue()).isBetween(1, 1000);
            JsonNode properties = widget.get("properties");
            assertThat(properties.get("title").stringValue()).isNotBlank();
            assertThat(properties.get("region").stringValue()).isEqualTo("${AWS::Region}");
            assertThat(properties.get("metrics")).isNotEmpty().allSatisfy(metric -> assertThat(metric.isArray())
                    .as("a metric is an array: [namespace, name, dimension, value, ..., {options}] or"
                            + " [{expression, id}]")
                    .isTrue());
        });
        // every placeholder is a parameter, a pseudo parameter, a resource or a resource's attribute of the stack
        Matcher placeholder = PLACEHOLDER.matcher(template());
        while (placeholder.find()) {
            String name = placeholder.group(1).split("\\.")[0];
            assertThat(name.equals("AWS::Region") || StackTemplate.read().get("Parameters").has(name)
                    || deployed.resources().has(name)).as(placeholder.group()).isTrue();
        }
    }

    @Test
    void namesOnlyMetricsTheServicesAndAwsSend() throws IOException {
        ServiceMetrics tracking = metricsOf("tracking-service");
        ServiceMetrics consumer = metricsOf("kinesis-consumer");
        ServiceMetrics updater = metricsOf("redis-updater");
        // the meters behind the widgets, with the tags their code registers them with
        Map<String, Metric> sent = new TreeMap<>();
        tracking.distribution("http.server.requests", "error", "none", "exception", "none", "method", "GET",
                "outcome", "SUCCESS", "status", "200", "uri", "/event/{programId}").values()
                .forEach(metric -> put(sent, "tracking-service", metric));
        put(sent, "tracking-service", tracking.counter("tracking.publisher.records", "stream", "s", "outcome",
                "accepted"));
        put(sent, "tracking-service", tracking.counter("tracking.publisher.records", "stream", "s", "outcome",
                "rejected", "reason", "r"));
        tracking.distribution("tracking.publisher.batch.size", "stream", "s").values()
                .forEach(metric -> put(sent, "tracking-service", metric));
        tracking.distribution("tracking.publisher.records.per.kinesis.record", "stream", "s").values()
                .forEach(metric -> put(sent, "tracking-service", metric));
        for (String gauge : List.of("eventstore.lag.ms", "eventstore.batch.in.progress.seconds",
                "eventstore.shards.read")) {
            put(sent, "kinesis-consumer", consumer.gauge(gauge));
        }
        for (String counter : List.of("eventstore.events.written", "eventstore.dead.letters")) {
            put(sent, "kinesis-consumer", consumer.counter(counter));
        }
        for (String gauge : List.of("programs.lag.ms", "programs.batch.in.progress.seconds",
                "programs.shards.read")) {
            put(sent, "redis-updater", updater.gauge(gauge));
        }
        put(sent, "redis-updater", updater.counter("programs.dead.letters"));
        put(sent, "redis-updater", updater.counter("programs.updates", "outcome", "applied"));

        List<String> named = new ArrayList<>();
        for (JsonNode widget : body().get("widgets")) {
            for (JsonNode metric : widget.get("properties").get("metrics")) {
                String title = widget.get("properties").get("title").stringValue();
                if (metric.get(0).isObject()) {
                    Matcher query = INSIGHTS.matcher(metric.get(0).get("expression").stringValue());
                    assertThat(query.matches()).as(title + ": " + metric).isTrue();
                    // a counter registered with two tag sets (accepted, rejected with a reason) is two schemas
                    Set<String> schema = new TreeSet<>(List.of(query.group(3).split(", ")));
                    assertThat(sent.entrySet()).as(title + ": " + query.group(2) + " of " + query.group(4)
                            + " over " + schema).anySatisfy(entry -> {
                                assertThat(entry.getKey()).startsWith(query.group(4) + " " + query.group(2) + " ");
                                assertThat(entry.getValue().dimensions().keySet()).isEqualTo(schema);
                            });
                    named.add(query.group(2));
                }
                else if (metric.get(0).stringValue().equals("ReactiveTracking")) {
                    Map<String, String> dimensions = dimensions(metric);
                    Metric expected = sent.get(dimensions.get("service") + " " + metric.get(1).stringValue() + " "
                            + dimensions.keySet());
                    assertThat(expected).as(title + ": " + metric).isNotNull();
                    assertThat(dimensions.keySet()).as(title + ": " + metric)
                            .isEqualTo(expected.dimensions().keySet());
                    assertThat(dimensions.get("environment")).isEqualTo("${Environment}");
                    named.add(expected.name());
                }
                else {
                    String key = metric.get(0).stringValue() + " " + metric.get(1).stringValue();
                    assertThat(AWS_METRICS).as(title + ": " + key).containsKey(key);
                    assertThat(dimensions(metric).keySet()).as(title + ": " + key).isEqualTo(AWS_METRICS.get(key));
                    named.add(key);
                }
            }
        }
        // what the issue asks an operator to see at a glance
        assertThat(named).contains("http.server.requests.count", "http.server.requests.max",
                "tracking.publisher.records.count", "tracking.publisher.batch.size.avg",
                "tracking.publisher.records.per.kinesis.record.avg", "AWS/Kinesis IncomingRecords",
                "AWS/Kinesis GetRecords.IteratorAgeMilliseconds", "eventstore.lag.ms.value", "programs.lag.ms.value",
                "eventstore.events.written.count", "eventstore.dead.letters.count", "programs.dead.letters.count",
                "eventstore.batch.in.progress.seconds.value", "eventstore.shards.read.value",
                "programs.shards.read.value", "AWS/ApplicationELB HTTPCode_Target_5XX_Count",
                "AWS/ApplicationELB TargetResponseTime", "AWS/WAFV2 BlockedRequests",
                "AWS/ElastiCache EngineCPUUtilization", "AWS/ElastiCache DatabaseMemoryUsagePercentage",
                "AWS/ElastiCache Evictions", "ECS/ContainerInsights RunningTaskCount");
    }

    @Test
    void comesWithTheServicesAndGivesItsUrl() {
        assertThat(StackTemplate.deployedWith(Map.of()).ofType("AWS::CloudWatch::Dashboard")).isEmpty();
        assertThat(deployed.ofType("AWS::CloudWatch::Dashboard")).containsExactly("Dashboard");
        assertThat(deployed.outputs().get("DashboardUrl").toString()).contains("console.aws.amazon.com/cloudwatch")
                .contains("dashboards").contains("${Dashboard}");
    }

    @Test
    void runsTheCacheOnValkeyUnlessToldRedisWithEverythingElseTheSame() {
        JsonNode valkey = deployed.properties("Redis");
        StackTemplate onRedis = StackTemplate.deployedWith(Map.of("DeployServices", "true", "CacheEngine", "redis"));
        JsonNode redis = onRedis.properties("Redis");

        assertThat(deployed.parameter("CacheEngine")).isEqualTo("valkey");
        assertThat(valkey.get("Engine").toString()).isEqualTo("{\"Ref\":\"CacheEngine\"}");
        assertThat(valkey.get("EngineVersion").stringValue()).startsWith("8.");
        assertThat(onRedis.parameter("CacheEngine")).isEqualTo("redis");
        assertThat(redis.get("EngineVersion").stringValue()).isEqualTo("7.1");
        for (String same : List.of("TransitEncryptionEnabled", "AtRestEncryptionEnabled", "AuthToken",
                "SnapshotRetentionLimit", "SnapshotWindow", "MultiAZEnabled", "AutomaticFailoverEnabled",
                "NumCacheClusters")) {
            assertThat(valkey.get(same)).as(same).isEqualTo(redis.get(same)).isNotNull();
        }
    }

    /** Keyed by service, metric name and dimension names: a meter may be sent under more than one set. */
    private static void put(Map<String, Metric> sent, String service, Metric metric) {
        sent.put(service + " " + metric.name() + " " + metric.dimensions().keySet(), metric);
    }

    private static Map<String, String> dimensions(JsonNode metric) {
        Map<String, String> dimensions = new TreeMap<>();
        for (int i = 2; i + 1 < metric.size() && metric.get(i).isString(); i += 2) {
            dimensions.put(metric.get(i).stringValue(), metric.get(i + 1).stringValue());
        }
        return dimensions;
    }

    private ServiceMetrics metricsOf(String service) throws IOException {
        return ServiceMetrics.of(service, "ReactiveTracking", deployed.parameter("Environment"));
    }

    private String template() {
        return deployed.properties("Dashboard").get("DashboardBody").get("Fn::Sub").stringValue();
    }

    /** The body as CloudWatch gets it, each placeholder left as its name (none sits where JSON needs a number). */
    private JsonNode body() {
        return JSON.readTree(template());
    }
}
