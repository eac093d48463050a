package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One piece of each service's work, done through the names, secrets and settings of its environment: what a healthy
 * liveness probe alone does not show (a wrong stream or table name, a table whose keys do not fit the code, a Redis
 * password that is not taken all leave the probe UP).
 */
final class ServiceWork {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration BOUND = Duration.ofSeconds(60);

    private ServiceWork() {
    }

    static void prove(String service, ServiceProcess process, Map<String, String> env, LocalEngines engines)
            throws IOException, InterruptedException {
        switch (service) {
            case "tracking-service" -> seedTrackAndChange(process, env);
            case "kinesis-consumer" -> storeAnEvent(process, env, engines);
            case "redis-updater" -> applyAnUpdate(process, env, engines);
            default -> throw new IllegalArgumentException("no work known for " + service);
        }
    }

    /** Seeds Redis through the admin key (the secret), tracks an event, announces a change: both streams. */
    private static void seedTrackAndChange(ServiceProcess tracking, Map<String, String> env)
            throws IOException, InterruptedException {
        HttpRequest.Builder admin = HttpRequest.newBuilder().header("X-Api-Key", env.get("TRACKING_ADMIN_API_KEY"));
        assertThat(send(admin.copy().uri(tracking.uri("/cache/fill")).POST(HttpRequest.BodyPublishers.noBody())))
                .as("seeding Redis").isEqualTo(200);
        assertThat(send(HttpRequest.newBuilder(tracking.uri("/event/212313")))).as("tracking onto the event stream")
                .isEqualTo(200);
        String change = "{\"programName\":\"Deploy run\",\"checksum\":\"d1\",\"customerId\":1,"
                + "\"customerName\":\"ACME\",\"valid\":true}";
        assertThat(send(admin.copy().uri(tracking.uri("/programs/990001")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(change)))).as("announcing onto the update stream")
                .isEqualTo(202);
    }

    /** An event put on the stream ends up in the events table, and the KCL's lease checkpoints past it. */
    private static void storeAnEvent(ServiceProcess consumer, Map<String, String> env, LocalEngines engines) {
        TrackingEvent event = new TrackingEvent(UUID.randomUUID().toString(),
                new Program("990002", "Deploy run", "d2", 1, "ACME", true), "deploy-run", Instant.now(), "");
        String sequence = put(engines, env.get("EVENT_STREAM"), event.messageId(), TrackingEventCodec.encode(event));

        consumer.awaitUntil("event stored in " + env.get("EVENTSTORE_EVENTS_TABLE"), BOUND, () -> engines
                .dynamoDbClient().getItem(request -> request.tableName(env.get("EVENTSTORE_EVENTS_TABLE"))
                        .key(Map.of("messageId", AttributeValue.fromS(event.messageId())))).hasItem());
        awaitCheckpoint(consumer, env, "EVENT_STREAM", sequence, engines);
    }

    /** An update put on the stream is applied to Redis (with the password), and the KCL's lease checkpoints past it. */
    private static void applyAnUpdate(ServiceProcess updater, Map<String, String> env, LocalEngines engines) {
        ProgramUpdate update = ProgramUpdate.upsert(new Program("990003", "Deploy run", "d3", 1, "ACME", true), 1, "");
        String sequence = put(engines, env.get("UPDATE_STREAM"), "990003", ProgramUpdateCodec.encode(update));

        // the updater holds the shard, retrying, until Redis took the update: the checkpoint follows the write
        awaitCheckpoint(updater, env, "UPDATE_STREAM", sequence, engines);
    }

    private static String put(LocalEngines engines, String stream, String key, byte[] data) {
        return engines.kinesisClient().putRecord(request -> request.streamName(stream).partitionKey(key)
                .data(SdkBytes.fromByteArray(data))).sequenceNumber();
    }

    /** The checkpoint of the (single) shard's lease in the lease table reaches {@code sequence}. */
    private static void awaitCheckpoint(ServiceProcess service, Map<String, String> env, String streamVariable,
            String sequence, LocalEngines engines) {
        String table = env.get("KINESIS_CONSUMER_LEASE_TABLE");
        String shard = "shardId-000000000000";
        service.awaitUntil("checkpoint of " + env.get(streamVariable) + "/" + shard + " in " + table + " at "
                + sequence, BOUND, () -> {
                    String checkpoint = new KclLeases(engines.dynamoDbClient(), table).checkpoints().get(shard);
                    return checkpoint != null && checkpoint.matches("[0-9]+")
                            && new BigInteger(checkpoint).compareTo(new BigInteger(sequence)) >= 0;
                });
    }

    private static int send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
