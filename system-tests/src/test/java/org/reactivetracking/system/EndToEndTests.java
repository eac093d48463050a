package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole system through every real hop: the three services as processes, on Redis, kinesis-mock and DynamoDB
 * Local. Seed a program, track an event, read the very event back from DynamoDB; change a program through the
 * update stream and see the tracking service answer with it.
 */
class EndToEndTests {

    private static final String API_KEY = "end-to-end-key";
    private static final LocalEngines engines = LocalEngines.shared();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static ServiceProcess tracking;
    private static ServiceProcess aggregatingTracking;
    private static ServiceProcess consumer;
    private static ServiceProcess updater;
    private static OtlpReceiver otlp;

    @BeforeAll
    static void startSystem() {
        engines.ensureStream("tracking-events", 1);
        engines.ensureStream("program-updates", 1);
        otlp = new OtlpReceiver();
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.put("EVENTSTORE_CREATE_TABLES", "true");
        env.put("KINESIS_CONSUMER_CREATE_LEASE_TABLE", "true");
        env.put("TRACKING_ADMIN_API_KEY", API_KEY);
        env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", otlp.endpoint());
        env.put("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_SCHEDULE_DELAY", "200ms");
        consumer = new ServiceProcess("kinesis-consumer", env).start();
        updater = new ServiceProcess("redis-updater", env).start();
        tracking = new ServiceProcess("tracking-service", env).start();
        // a second instance on the same stream that packs events into aggregated records: the shard is mixed
        Map<String, String> aggregating = new HashMap<>(env);
        aggregating.put("TRACKING_AGGREGATION_ENABLED", "true");
        aggregatingTracking = new ServiceProcess("tracking-service", aggregating).start();
    }

    @AfterAll
    static void stopSystem() {
        for (ServiceProcess service : new ServiceProcess[] { tracking, aggregatingTracking, consumer, updater }) {
            if (service != null) {
                service.close();
            }
        }
        if (otlp != null) {
            otlp.close();
        }
    }

    @Test
    void oneTraceRunsFromTheLoadBalancerHeaderToTheDynamoDbWrite() throws Exception {
        // the services run AOT-processed, as their image runs them: the exporter is there because the endpoint is set
        // at start, not because a condition saw it when the jar was built
        for (ServiceProcess service : new ServiceProcess[] { tracking, consumer }) {
            assertThat(service.logText()).contains("Starting AOT-processed");
        }
        assertThat(send(admin("POST", "/cache/fill", "")).statusCode()).isEqualTo(200);
        String root = "1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        String traceId = root.substring(2).replace("-", "");

        HttpResponse<String> tracked = send(HttpRequest.newBuilder(tracking.uri("/event/212314"))
                .header("X-Amzn-Trace-Id", "Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1").build());

        assertThat(tracked.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(otlp.spans())
                .as("spans received: %s", otlp.spans())
                .filteredOn(span -> span.traceId().equals(traceId))
                .extracting(OtlpReceiver.ReceivedSpan::service, OtlpReceiver.ReceivedSpan::name)
                .contains(tuple("tracking-service", "http get /event/{programId}"),
                        tuple("tracking-service", "hgetall"),
                        tuple("tracking-service", "tracking.publish"),
                        tuple("kinesis-consumer", "store event")));
    }

    @Test
    void aTrackedEventEndsUpInDynamoDb() throws Exception {
        assertThat(send(admin("POST", "/cache/fill", "")).statusCode()).isEqualTo(200);

        HttpResponse<String> tracked = send(HttpRequest.newBuilder(tracking.uri("/event/212313"))
                .header("User-Agent", "end-to-end/1.0").build());

        assertThat(tracked.statusCode()).isEqualTo(200);
        String messageId = field(tracked.body(), "messageId");
        Map<String, AttributeValue> item = await().atMost(Duration.ofSeconds(60)).until(
                () -> engines.dynamoDbClient().getItem(request -> request.tableName("tracking-events")
                        .key(Map.of("messageId", AttributeValue.fromS(messageId)))).item(),
                found -> found != null && !found.isEmpty());
        assertThat(item.get("programId").s()).isEqualTo("212313");
        assertThat(item.get("programName").s()).isEqualTo("Summer sale video");
        assertThat(item.get("userAgent").s()).isEqualTo("end-to-end/1.0");
    }

    @Test
    void aRequestRetriedWithItsEventIdIsStoredOnce() throws Exception {
        assertThat(send(admin("POST", "/cache/fill", "")).statusCode()).isEqualTo(200);
        String eventId = UUID.randomUUID().toString();
        long from = System.currentTimeMillis() - 1000;

        // the first try, then its retry landing on the other instance (which packs aggregated records)
        HttpResponse<String> first = send(HttpRequest.newBuilder(tracking.uri("/event/212315?eid=" + eventId))
                .header("User-Agent", "first-try").build());
        HttpResponse<String> retry = send(HttpRequest.newBuilder(aggregatingTracking.uri("/event/212315?eid="
                + eventId)).header("User-Agent", "retry").build());
        HttpResponse<String> marker = send(HttpRequest.newBuilder(tracking.uri("/event/212315"))
                .header("User-Agent", "marker").build());

        assertThat(List.of(first, retry, marker)).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(List.of(field(first.body(), "messageId"), field(retry.body(), "messageId")))
                .containsOnly(eventId);
        String markerId = field(marker.body(), "messageId");
        long to = System.currentTimeMillis() + 1000;
        Map<String, Map<String, AttributeValue>> stored = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> storedEvents("212315", from, to), items -> items.containsKey(markerId)
                        && items.containsKey(eventId));
        assertThat(stored).containsOnlyKeys(eventId, markerId);
        assertThat(stored.get(eventId).get("userAgent").s()).isIn("first-try", "retry");
    }

    @Test
    void eventsPackedIntoAggregatedRecordsAreEachStoredOnce() throws Exception {
        assertThat(send(admin("POST", "/cache/fill", "")).statusCode()).isEqualTo(200);
        long from = System.currentTimeMillis() - 1000;

        List<HttpResponse<String>> responses = IntStream.range(0, 400)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(aggregatingTracking.uri("/event/212313"))
                        .header("User-Agent", "aggregated/" + i).build(), HttpResponse.BodyHandlers.ofString()))
                .toList().stream().map(CompletableFuture::join).toList();

        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        Set<String> acknowledged = responses.stream().map(response -> field(response.body(), "messageId"))
                .collect(Collectors.toSet());
        assertThat(acknowledged).hasSize(400);
        long to = System.currentTimeMillis() + 1000;
        Map<String, Map<String, AttributeValue>> stored = await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> storedEvents("212313", from, to), items -> items.keySet().containsAll(acknowledged));
        List<Map<String, AttributeValue>> ours = acknowledged.stream().map(stored::get).toList();
        assertThat(ours).extracting(item -> item.get("userAgent").s()).doesNotHaveDuplicates()
                .allMatch(agent -> agent.startsWith("aggregated/"));
        long kinesisRecords = ours.stream().map(item -> item.get("sequenceNumber").s()).distinct().count();
        assertThat(kinesisRecords).as("Kinesis records carrying 400 events").isLessThan(200);
        assertThat(ours).as("events stored from inside an aggregated record")
                .filteredOn(item -> item.containsKey("subSequenceNumber") && item.get("subSequenceNumber").n() != null)
                .hasSizeGreaterThan(200);
    }

    /** The stored events of a program received between two times, by message id. */
    private static Map<String, Map<String, AttributeValue>> storedEvents(String programId, long from, long to) {
        return engines.dynamoDbClient().queryPaginator(request -> request.tableName("tracking-events")
                .indexName("programId-receivedAt-index")
                .keyConditionExpression("programId = :program AND receivedAt BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":program", AttributeValue.fromS(programId),
                        ":from", AttributeValue.fromN(Long.toString(from)),
                        ":to", AttributeValue.fromN(Long.toString(to)))))
                .items().stream().collect(Collectors.toMap(item -> item.get("messageId").s(), item -> item));
    }

    @Test
    void programChangesReachARunningTrackingService() throws Exception {
        assertThat(send(HttpRequest.newBuilder(tracking.uri("/event/777001")).build()).statusCode()).isEqualTo(404);

        HttpResponse<String> accepted = send(admin("PUT", "/programs/777001", """
                {"programName":"Winter launch","checksum":"ab12","customerId":4242,"customerName":"Example Corp",
                 "valid":true}"""));

        assertThat(accepted.statusCode()).isEqualTo(202);
        HttpResponse<String> tracked = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(HttpRequest.newBuilder(tracking.uri("/event/777001")).build()),
                        response -> response.statusCode() == 200);
        assertThat(field(tracked.body(), "programName")).isEqualTo("Winter launch");
        assertThat(field(tracked.body(), "customerName")).isEqualTo("Example Corp");

        assertThat(send(admin("DELETE", "/programs/777001", "")).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(HttpRequest.newBuilder(tracking.uri("/event/777001")).build()).statusCode() == 404);
    }

    private static HttpRequest admin(String method, String path, String json) {
        return HttpRequest.newBuilder(tracking.uri(path)).header("X-Api-Key", API_KEY)
                .header("Content-Type", "application/json")
                .method(method, json.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(matcher.find()).as("%s in %s", name, json).isTrue();
        return matcher.group(1);
    }
}
