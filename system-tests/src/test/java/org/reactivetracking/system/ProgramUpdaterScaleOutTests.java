package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramKeys;
import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The redis-updater scaled out on an update stream that reshards under it: 2 shards, two instances, versions 1 to 50
 * of 40 programs (2,000 updates) put in a random order under random partition keys, so each program's versions are
 * spread over every shard and applied in no particular order by whichever instance holds each shard. During the run
 * the stream grows to 4 shards, the instance holding the most shards is killed (SIGKILL) and a new one started. Each
 * step waits for the updates handled so far (the instances' own counters), never for time.
 * <p>
 * Asserted: every program ends at its newest version (for every fifth program, a deletion), whatever order the
 * updates were applied in; no dead letters; every shard's checkpoint at its end. Printed: which instance held which
 * shard, and how long each shard of the killed instance stayed unread (the kill to when a marker update put on that
 * shard right after the kill was applied).
 */
class ProgramUpdaterScaleOutTests {

    private static final int PROGRAMS = 40;
    private static final int VERSIONS = 50;
    private static final String STREAM = "scale-updates";
    private static final String GROUP = "scale-updater";
    private static final String DEAD_LETTERS = "scale-updates:dead-letters";
    private static final ProgramKeys KEYS = new ProgramKeys("program:");
    private static final LocalEngines engines = LocalEngines.shared();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final KclLeases leases = new KclLeases(engines.dynamoDbClient(), GROUP);
    private final long startedAt = System.currentTimeMillis();

    @AfterEach
    void stopServices() {
        services.forEach(ServiceProcess::close);
    }

    @Test
    void everyProgramEndsAtItsNewestVersionAcrossAReshardAKilledInstanceAndANewOne() {
        engines.ensureStream(STREAM, 2);
        Map<String, ServiceProcess> updaters = new HashMap<>();
        updaters.put("updater-a", updater("updater-a"));
        updaters.put("updater-b", updater("updater-b"));
        services.forEach(ServiceProcess::awaitReady);
        Map<String, String> names = new HashMap<>();
        updaters.forEach((name, updater) -> names.put(KclLeases.workerIdOf(updater), name));
        List<ProgramUpdate> updates = shuffledUpdates();
        progress("instances ready");

        put(updates.subList(0, 800));
        awaitHandled(updaters.values(), 400);
        progress("leases before the reshard: " + leases.holders(names));
        StreamShards.reshard(engines.kinesisClient(), STREAM, 4);
        progress("resharded to 4");
        put(updates.subList(800, 1_400));
        awaitHandled(updaters.values(), 1_000);

        Map<String, String> holdersAtKill = leases.holders(names);
        String victim = holdersAtKill.values().stream()
                .collect(Collectors.groupingBy(holder -> holder, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertThat(updaters).as("lease holders").containsKey(victim);
        updaters.remove(victim).kill();
        long killedAt = System.currentTimeMillis();
        progress("killed " + victim + "; leases then: " + holdersAtKill);
        Map<String, String> markers = putMarkers(victim, holdersAtKill);
        ServiceProcess replacement = updater("updater-c");
        put(updates.subList(1_400, updates.size()));

        try (RedisClient client = RedisClient.create(engines.redis().endpoint().toString());
                StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            System.out.println(handOver(victim, killedAt, markers, redis));
            await("every program at its newest version").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> IntStream.range(0, PROGRAMS).forEach(p -> assertNewest(p, redis)));
            progress("every program at its newest version");
            assertThat(redis.xlen(DEAD_LETTERS)).as("dead letters").isZero();
        }
        Map<String, StreamShards.Shard> shards = StreamShards.read(engines.kinesisClient(), STREAM);
        assertThat(shards).hasSize(6);
        await("every shard's checkpoint at its end").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(leases.checkpointsOf(
                        shards.values())).isEqualTo(shards.values().stream().collect(Collectors.toMap(
                                StreamShards.Shard::id, StreamShards.Shard::checkpointAtEnd))));
        names.put(KclLeases.workerIdOf(replacement.awaitReady()), "updater-c");
        progress("leases at the end: " + leases.holders(names));
    }

    private ServiceProcess updater(String instance) {
        Map<String, String> env = new HashMap<>(engines.springEnvironment());
        env.putAll(Map.of("UPDATE_STREAM", STREAM, "CONSUMER_GROUP", GROUP, "KINESIS_CONSUMER_CREATE_LEASE_TABLE", "true",
                "PROGRAMS_DEAD_LETTERS", DEAD_LETTERS));
        ServiceProcess updater = new ServiceProcess("redis-updater", "scale-" + instance, env).launch();
        services.add(updater);
        return updater;
    }

    /** Versions 1 to 50 of every program, the newest of every fifth a deletion, in a random (but repeatable) order. */
    private static List<ProgramUpdate> shuffledUpdates() {
        List<ProgramUpdate> updates = new ArrayList<>();
        for (int p = 0; p < PROGRAMS; p++) {
            for (int version = 1; version <= VERSIONS; version++) {
                updates.add(version == VERSIONS && p % 5 == 0 ? ProgramUpdate.deletion(id(p), version, "")
                        : ProgramUpdate.upsert(program(p, version), version, ""));
            }
        }
        Collections.shuffle(updates, new Random(20261123));
        return updates;
    }

    private static String id(int p) {
        return "scale-program-" + p;
    }

    private static Program program(int p, int version) {
        return new Program(id(p), "Program " + p + " v" + version, "c" + version, 1000 + p, "Customer " + p, true);
    }

    private static void assertNewest(int p, RedisCommands<String, String> redis) {
        if (p % 5 == 0) {
            assertThat(redis.exists(KEYS.hash(id(p)))).as("%s deleted", id(p)).isZero();
            assertThat(redis.get(KEYS.deletionMarker(id(p)))).as("%s deleted at", id(p)).isEqualTo("" + VERSIONS);
        }
        else {
            assertThat(redis.hgetall(KEYS.hash(id(p)))).as(id(p)).containsEntry("version", "" + VERSIONS)
                    .containsEntry("programName", program(p, VERSIONS).programName());
        }
    }

    /** Puts the updates under random partition keys: each program's versions land on every shard. */
    private static void put(List<ProgramUpdate> updates) {
        for (int from = 0; from < updates.size(); from += 500) {
            List<PutRecordsRequestEntry> entries = updates.subList(from, Math.min(updates.size(), from + 500))
                    .stream().map(update -> PutRecordsRequestEntry.builder().partitionKey(UUID.randomUUID().toString())
                            .data(SdkBytes.fromByteArray(ProgramUpdateCodec.encode(update))).build())
                    .toList();
            assertThat(engines.kinesisClient().putRecords(request -> request.streamName(STREAM).records(entries))
                    .failedRecordCount()).isZero();
        }
    }

    /**
     * Puts one marker update on each open shard the victim held (through an explicit hash key in the shard's
     * range); returns the markers' program ids by shard.
     */
    private static Map<String, String> putMarkers(String victim, Map<String, String> holdersAtKill) {
        Map<String, String> markers = new HashMap<>();
        var open = engines.kinesisClient().listShards(request -> request.streamName(STREAM)).shards().stream()
                .filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                .collect(Collectors.toMap(shard -> shard.shardId(), shard -> shard.hashKeyRange().startingHashKey()));
        holdersAtKill.forEach((shard, holder) -> {
            if (holder.equals(victim) && open.containsKey(shard)) {
                String marker = "scale-marker-" + UUID.randomUUID();
                ProgramUpdate update = ProgramUpdate.upsert(new Program(marker, "Marker", "m", 1, "Marker", true), 1,
                        "");
                engines.kinesisClient().putRecord(request -> request.streamName(STREAM).partitionKey(marker)
                        .explicitHashKey(open.get(shard))
                        .data(SdkBytes.fromByteArray(ProgramUpdateCodec.encode(update))));
                markers.put(shard, marker);
            }
        });
        return markers;
    }

    /** Waits for every marker and reports how long after the kill each was first seen applied. */
    private static String handOver(String victim, long killedAt, Map<String, String> markers,
            RedisCommands<String, String> redis) {
        Map<String, Long> appliedAt = new TreeMap<>();
        await("a marker applied on each shard of " + victim).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    markers.forEach((shard, marker) -> {
                        if (!appliedAt.containsKey(shard) && redis.exists(KEYS.hash(marker)) == 1) {
                            appliedAt.put(shard, System.currentTimeMillis());
                        }
                    });
                    return appliedAt.size() == markers.size();
                });
        StringBuilder report = new StringBuilder("hand-over after the SIGKILL of " + victim + " at "
                + Instant.ofEpochMilli(killedAt) + " (until a marker put on the shard right after the kill was"
                + " applied):");
        appliedAt.forEach((shard, at) -> report.append(String.format("%n  %s: unread for %.1f s", shard,
                (at - killedAt) / 1000.0)));
        return report.toString();
    }

    /** Waits until the instances have handled (applied or found stale) at least {@code count} updates. */
    private static void awaitHandled(Collection<ServiceProcess> updaters, int count) {
        await(count + " updates handled").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    double handled = 0;
                    for (ServiceProcess updater : updaters) {
                        handled += updater.counter("programs.updates");
                    }
                    return handled >= count;
                });
    }

    /** Prints how far the run is, with the time since the test started. */
    private void progress(String what) {
        System.out.printf("[%5.1f s] %s%n", (System.currentTimeMillis() - startedAt) / 1000.0, what);
    }
}
