package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;

/**
 * How instances of the event store share a stream's shards through the KCL's leases, as processes on the real
 * engines. Each step waits for the lease table to show the split, never for time; how long each took is printed (the
 * targets are measured by {@code bench/consumer-scaling.sh}, not asserted here).
 */
class KclLeaseTests {

    private static final LocalEngines engines = LocalEngines.shared();
    private static final Duration SPLIT_BOUND = Duration.ofMinutes(2);
    private final List<ServiceProcess> services = new ArrayList<>();
    private final long startedAt = System.currentTimeMillis();

    @AfterEach
    void stopServices() {
        services.forEach(ServiceProcess::close);
    }

    /**
     * 8 shards, events put all along (1,000-odd plain records a step): one instance holds all 8; a second started
     * later takes half; a third, a third; the third stopped with SIGTERM gives its shards up and the other two split
     * them; the second killed with SIGKILL loses its shards to the first once their leases expire; then a rolling
     * restart, each instance replaced by a new one. Every split is balanced (each instance ⌊8/n⌋ or ⌈8/n⌉ shards),
     * and every event put is stored exactly once.
     */
    @Test
    void balancesTheShardsAcrossInstancesAddedStoppedKilledAndReplacedStoringEveryEventOnce() throws Exception {
        String stream = "lease-balance";
        String group = "lease-balance";
        engines.ensureStream(stream, 8);
        EventTable events = new EventTable(engines.dynamoDbClient(), group + "-events");
        KclLeases leases = new KclLeases(engines.dynamoDbClient(), group);
        TrackingLoad load = new TrackingLoad(List.of(), List.of("lease-1", "lease-2", "lease-3"), 1);
        AtomicBoolean loading = new AtomicBoolean(true);
        CompletableFuture<Void> putting = CompletableFuture.runAsync(() -> {
            while (loading.get()) {
                load.put(engines.kinesisClient(), stream, 100, 1);
            }
        });
        Map<String, ServiceProcess> running = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();

        start("a", stream, group, running, names);
        awaitSplit(leases, names, running.keySet(), "a alone");
        start("b", stream, group, running, names);
        awaitSplit(leases, names, running.keySet(), "b added");
        start("c", stream, group, running, names);
        awaitSplit(leases, names, running.keySet(), "c added");

        long stoppedAt = System.currentTimeMillis();
        running.remove("c").close();
        progress("c stopped (SIGTERM) in " + (System.currentTimeMillis() - stoppedAt) + " ms");
        awaitSplit(leases, names, running.keySet(), "c's shards handed over after its SIGTERM");

        running.remove("b").kill();
        progress("b killed (SIGKILL)");
        awaitSplit(leases, names, running.keySet(), "b's shards taken over after its SIGKILL");

        start("d", stream, group, running, names);
        awaitSplit(leases, names, running.keySet(), "rolling restart: d added");
        running.remove("a").close();
        start("e", stream, group, running, names);
        awaitSplit(leases, names, running.keySet(), "rolling restart: a replaced by e");

        loading.set(false);
        putting.join();
        running.values().iterator().next().awaitUntil("every event put stored", Duration.ofMinutes(3),
                () -> events.count() >= load.acknowledged().size());
        assertThat(events.items().keySet()).as("stored message ids").isEqualTo(load.acknowledged());
        assertThat(new EventTable(engines.dynamoDbClient(), group + "-dead-letters").count()).as("dead letters")
                .isZero();
        progress(load.acknowledged().size() + " events stored once each");
    }

    /**
     * An instance stopped (SIGTERM) while it holds a batch it cannot store (the events table is missing: a failure
     * it retries, holding the shard) does not checkpoint past it, whatever the KCL does on the way down; the instance
     * that takes the shard over stores every event once the table is there.
     */
    @Test
    void anInstanceStoppedInTheMiddleOfABatchDoesNotCheckpointPastWhatItDidNotStore() {
        String stream = "lease-midbatch";
        String group = "lease-midbatch";
        engines.ensureStream(stream, 1);
        EventTable events = new EventTable(engines.dynamoDbClient(), group + "-events");
        KclLeases leases = new KclLeases(engines.dynamoDbClient(), group);
        Map<String, String> env = consumerEnvironment(stream, group);
        env.put("EVENTSTORE_CREATE_TABLES", "false");
        ServiceProcess stuck = new ServiceProcess("kinesis-consumer", "lease-midbatch-stuck", env).start();
        services.add(stuck);
        TrackingLoad load = new TrackingLoad(List.of(), List.of("midbatch"), 1);
        load.put(engines.kinesisClient(), stream, 500, 1);
        stuck.awaitUntil("the batch held, its writes failing", Duration.ofMinutes(2),
                () -> stuck.logText().contains("to " + group + "-events failed (attempt 2), retrying"));
        String checkpointBefore = leases.checkpoints().get("shardId-000000000000");

        stuck.close();
        String checkpointAfter = leases.checkpoints().get("shardId-000000000000");

        assertThat(checkpointAfter).as("the checkpoint after the stop").isEqualTo(checkpointBefore)
                .isEqualTo("TRIM_HORIZON");
        assertThat(stuck.logText()).contains("Gave up 1 leases of table " + group);
        env.put("EVENTSTORE_CREATE_TABLES", "true");
        ServiceProcess next = new ServiceProcess("kinesis-consumer", "lease-midbatch-next", env).start();
        services.add(next);
        next.awaitUntil("every event stored", Duration.ofMinutes(2),
                () -> events.count() >= load.acknowledged().size());
        assertThat(events.items().keySet()).isEqualTo(load.acknowledged());
        next.awaitUntil("the checkpoint past every event", Duration.ofMinutes(1), () -> {
            String checkpoint = leases.checkpoints().get("shardId-000000000000");
            return checkpoint.matches("[0-9]+") && new BigInteger(checkpoint).signum() > 0;
        });
    }

    private void start(String name, String stream, String group, Map<String, ServiceProcess> running,
            Map<String, String> names) {
        long launchedAt = System.currentTimeMillis();
        ServiceProcess instance = new ServiceProcess("kinesis-consumer", "lease-" + name,
                consumerEnvironment(stream, group)).start();
        services.add(instance);
        running.put(name, instance);
        names.put(KclLeases.workerIdOf(instance), name);
        progress(name + " ready " + (System.currentTimeMillis() - launchedAt) + " ms after its launch");
    }

    private static Map<String, String> consumerEnvironment(String stream, String group) {
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.putAll(Map.of("EVENT_STREAM", stream, "CONSUMER_GROUP", group, "KINESIS_CONSUMER_CREATE_LEASE_TABLE",
                "true", "EVENTSTORE_EVENTS_TABLE", group + "-events", "EVENTSTORE_DEAD_LETTER_TABLE",
                group + "-dead-letters", "EVENTSTORE_CREATE_TABLES", "true"));
        return env;
    }

    /** Waits until every lease is held by a running instance, each holding ⌊8/n⌋ or ⌈8/n⌉ of them. */
    private void awaitSplit(KclLeases leases, Map<String, String> names, Collection<String> running, String step) {
        long from = System.currentTimeMillis();
        int shards = 8;
        int floor = shards / running.size();
        int ceiling = (shards + running.size() - 1) / running.size();
        await(step + ": every shard held by a running instance, " + floor + " to " + ceiling + " each")
                .atMost(SPLIT_BOUND).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    Map<String, String> holders = leases.holders(names);
                    assertThat(holders).hasSize(shards);
                    Map<String, Long> held = holders.values().stream()
                            .collect(Collectors.groupingBy(holder -> holder, Collectors.counting()));
                    assertThat(held.keySet()).containsExactlyInAnyOrderElementsOf(running);
                    assertThat(held.values()).allSatisfy(count -> assertThat(count).isBetween((long) floor,
                            (long) ceiling));
                });
        progress(step + ": balanced " + (System.currentTimeMillis() - from) + " ms later: " + leases.holders(names));
    }

    private void progress(String what) {
        System.out.printf("[%5.1f s] %s%n", (System.currentTimeMillis() - startedAt) / 1000.0, what);
    }
}
