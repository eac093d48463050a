package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The event store scaled out on a stream that reshards under it: a stream of 4 shards, two kinesis-consumer and two
 * tracking-service instances (one of them aggregating), 20,000 events: half tracked over HTTP, half put on the
 * stream directly in aggregated records (HTTP is the slow part on a small machine). During the run the stream
 * grows to 8 shards (UNIFORM_SCALING: every shard closes and splits in two), the consumer holding the most shards is
 * killed (SIGKILL) and a new one started. Each step waits for the data, never for time: the reshard once 2,000
 * events are stored, the next events once it is done (they all go to the children), the kill once 11,000 are stored,
 * the last 6,000 events after the kill (so the killed instance's shards have records to hand over).
 * <p>
 * Asserted: exactly the 20,000 acknowledged events stored, once each, each from the shard its record is on; no dead
 * letters; every shard's checkpoint at its end; every child shard read only after its parent was read to its end (the
 * KCL's order). Printed, as they depend on timing: which instance held which shard, and how long each shard of the
 * killed instance stayed unread (the kill to the first item stored from it).
 */
class EventStoreScaleOutTests {

    private static final int EVENTS = 20_000;
    private static final String STREAM = "scale-events";
    private static final String TABLE = "scale-events";
    private static final String DEAD_LETTERS = "scale-events-dead-letters";
    private static final String GROUP = "scale-store";
    private static final String API_KEY = "scale-out-key";
    private static final LocalEngines engines = LocalEngines.shared();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final KclLeases leases = new KclLeases(engines.dynamoDbClient(), GROUP);
    private final EventTable events = new EventTable(engines.dynamoDbClient(), TABLE);
    private final long startedAt = System.currentTimeMillis();

    @AfterEach
    void stopServices() {
        services.forEach(ServiceProcess::close);
    }

    @Test
    void storesEveryEventOnceAcrossAReshardAKilledConsumerAndANewOne() throws Exception {
        engines.ensureStream(STREAM, 4);
        Map<String, ServiceProcess> consumers = new HashMap<>();
        consumers.put("consumer-a", consumer("consumer-a"));
        consumers.put("consumer-b", consumer("consumer-b"));
        ServiceProcess plain = tracking("scale-tracking-plain", false);
        ServiceProcess aggregating = tracking("scale-tracking-aggregating", true);
        services.forEach(ServiceProcess::awaitReady);
        Map<String, String> names = new HashMap<>();
        consumers.forEach((name, consumer) -> names.put(KclLeases.workerIdOf(consumer), name));
        seedPrograms(plain);
        TrackingLoad load = new TrackingLoad(List.of(plain, aggregating),
                List.of("212312", "212313", "212314", "212315", "212316"), 12);
        progress("services ready");

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> send(load, 8_000));
        awaitStored(2_000, first);
        progress("leases before the reshard: " + leases.holders(names));
        StreamShards.reshard(engines.kinesisClient(), STREAM, 8);
        progress("resharded to 8");
        first.join();
        progress("8,000 events acknowledged");
        send(load, 6_000);
        progress("14,000 events acknowledged");
        awaitStored(11_000, null);

        Map<String, String> holdersAtKill = leases.holders(names);
        String victim = mostShards(holdersAtKill);
        assertThat(consumers).as("lease holders").containsKey(victim);
        consumers.get(victim).kill();
        long killedAt = System.currentTimeMillis();
        progress("killed " + victim + "; leases then: " + holdersAtKill);
        consumers.put("consumer-c", consumer("consumer-c"));
        send(load, 6_000);
        progress("20,000 events acknowledged; answered 503 and retried with their event id: " + load.retried());
        assertThat(load.failures()).as("answers other than 200").isEmpty();
        assertThat(load.acknowledged()).hasSize(EVENTS);
        awaitStored(EVENTS, null);
        progress("20,000 events stored");

        Map<String, StreamShards.Shard> shards = StreamShards.read(engines.kinesisClient(), STREAM);
        Map<String, Map<String, AttributeValue>> items = events.items();
        assertThat(items.keySet()).as("stored message ids").isEqualTo(load.acknowledged());
        assertThat(new EventTable(engines.dynamoDbClient(), DEAD_LETTERS).count()).as("dead letters").isZero();
        assertThat(shards).hasSize(12);
        Map<String, Long> storedPerShard = items.values().stream()
                .collect(Collectors.groupingBy(item -> item.get("shardId").s(), Collectors.counting()));
        // a 503 that may have recorded its event ("perhaps recorded"), retried with the same event id, puts it on
        // the stream twice: one item, from either record. Without such retries each shard's events are all its own.
        shards.values().forEach(shard -> assertThat(storedPerShard.getOrDefault(shard.id(), 0L))
                .as("events stored from %s", shard.id()).isPositive().isLessThanOrEqualTo(shard.events()));
        int onTheStream = shards.values().stream().mapToInt(StreamShards.Shard::events).sum();
        assertThat(onTheStream - items.size()).as("events on the stream twice (retried after a 503)")
                .isBetween(0, load.retried());
        await("every shard's checkpoint at its end").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(leases.checkpointsOf(
                        shards.values())).isEqualTo(shards.values().stream().collect(Collectors.toMap(
                                StreamShards.Shard::id, StreamShards.Shard::checkpointAtEnd))));

        names.put(KclLeases.workerIdOf(consumers.get("consumer-c").awaitReady()), "consumer-c");
        progress("leases at the end: " + leases.holders(names));
        ShardTimeline timeline = new ShardTimeline(items.values());
        System.out.println(timeline.handOver(victim, holdersAtKill, killedAt));
        System.out.println(timeline.childrenAfterParents(shards.values()));
        assertThat(shards.values()).filteredOn(shard -> shard.parentId() != null).hasSize(8)
                .allSatisfy(child -> assertThat(timeline.firstStored(child.id()))
                        .as("first event of %s stored after the last of its parent %s", child.id(), child.parentId())
                        .isGreaterThanOrEqualTo(timeline.lastStored(child.parentId())));
    }

    private ServiceProcess consumer(String instance) {
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.putAll(Map.of("EVENT_STREAM", STREAM, "CONSUMER_GROUP", GROUP, "KINESIS_CONSUMER_CREATE_LEASE_TABLE", "true",
                "EVENTSTORE_EVENTS_TABLE", TABLE, "EVENTSTORE_DEAD_LETTER_TABLE", DEAD_LETTERS,
                "EVENTSTORE_CREATE_TABLES", "true"));
        ServiceProcess consumer = new ServiceProcess("kinesis-consumer", "scale-" + instance, env).launch();
        services.add(consumer);
        return consumer;
    }

    private ServiceProcess tracking(String label, boolean aggregating) {
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.putAll(Map.of("EVENT_STREAM", STREAM, "TRACKING_ADMIN_API_KEY", API_KEY,
                "TRACKING_AGGREGATION_ENABLED", String.valueOf(aggregating)));
        ServiceProcess tracking = new ServiceProcess("tracking-service", label, env).launch();
        services.add(tracking);
        return tracking;
    }

    private static void seedPrograms(ServiceProcess tracking) throws IOException, InterruptedException {
        HttpResponse<Void> seeded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tracking.uri("/cache/fill"))
                .header("X-Api-Key", API_KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(seeded.statusCode()).as("seeding the programs").isEqualTo(200);
    }

    /** Half of {@code count} events tracked over HTTP, half put directly (20 to a record), at once. */
    private static void send(TrackingLoad load, int count) {
        CompletableFuture<Void> tracked = CompletableFuture.runAsync(() -> load.track(count / 2));
        load.put(engines.kinesisClient(), STREAM, count - count / 2, 20);
        tracked.join();
    }

    /** Waits until {@code stored} events are in the table; fails at once should {@code sending} fail first. */
    private void awaitStored(long stored, CompletableFuture<Void> sending) {
        await(stored + " events stored").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    if (sending != null && sending.isCompletedExceptionally()) {
                        sending.join();
                    }
                    return events.count() >= stored;
                });
    }

    private static String mostShards(Map<String, String> holders) {
        Map<String, Long> held = holders.values().stream()
                .collect(Collectors.groupingBy(owner -> owner, Collectors.counting()));
        assertThat(held).as("instances holding shards").isNotEmpty();
        return held.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** Prints how far the run is, with the time since the test started. */
    private void progress(String what) {
        System.out.printf("[%5.1f s] %s%n", (System.currentTimeMillis() - startedAt) / 1000.0, what);
    }
}
