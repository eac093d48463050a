package org.reactivetracking.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.engines.RedisEngine;
import org.reactivetracking.kinesis.KinesisBatch;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramHash;
import org.reactivetracking.model.ProgramUpdate;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The program store against a Redis Cluster (one node serving every slot: it refuses scripts whose keys are in
 * different slots, as a cluster-mode ElastiCache does): updates and deletions apply, because a program's keys share
 * its hash tag (or, under bare ids, the marker's hash tag is the id). The layout before hash tags, shown for
 * contrast, is refused.
 */
class ClusterModeTests {

    private static RedisEngine cluster;
    private static LettuceConnectionFactory connections;
    private static ReactiveStringRedisTemplate redis;
    private static ProgramStore store;

    @BeforeAll
    static void startCluster() {
        cluster = LocalEngines.shared().dedicatedRedisCluster();
        connections = new LettuceConnectionFactory(
                new RedisClusterConfiguration(List.of("127.0.0.1:" + cluster.port())));
        connections.afterPropertiesSet();
        connections.start();
        redis = new ReactiveStringRedisTemplate(connections);
        store = new ProgramStore(redis, new ProgramUpdaterProperties("program:", "program-changes", Duration.ofDays(8),
                "program-updates:dead-letters", 100, Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @AfterAll
    static void stopCluster() {
        if (connections != null) {
            connections.destroy();
        }
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    void appliesUpdatesAndDeletionsInClusterMode() {
        Program program = new Program("212313", "Summer sale", "c", 7, "ACME", true);

        assertThat(store.apply(ProgramUpdate.upsert(program, 10, "")).block()).isTrue();
        assertThat(redis.<String, String>opsForHash().get("program:{212313}", "programName").block())
                .isEqualTo("Summer sale");
        assertThat(store.apply(ProgramUpdate.deletion("212313", 11, "")).block()).isTrue();
        assertThat(redis.hasKey("program:{212313}").block()).isFalse();
        assertThat(store.apply(ProgramUpdate.upsert(program, 10, "")).block()).as("an older replay").isFalse();
    }

    @Test
    void appliesUpdatesAndDeletionsUnderBareIdsInClusterMode() {
        // the reference architecture's layout: the hash under the bare id, the marker in the id's slot beside it
        ProgramStore bare = new ProgramStore(redis, new ProgramUpdaterProperties("", "program-changes",
                Duration.ofDays(8), "program-updates:dead-letters", 100, Duration.ofMillis(10), Duration.ofMillis(100)));
        Program program = new Program("212315", "Bare", "c", 7, "ACME", true);

        assertThat(bare.apply(ProgramUpdate.upsert(program, 10, "")).block()).isTrue();
        assertThat(redis.<String, String>opsForHash().get("212315", "programName").block()).isEqualTo("Bare");
        assertThat(bare.apply(ProgramUpdate.deletion("212315", 11, "")).block()).isTrue();
        assertThat(redis.hasKey("212315").block()).isFalse();
        assertThat(redis.opsForValue().get("{212315}:deleted").block()).isEqualTo("11");
        assertThat(bare.apply(ProgramUpdate.upsert(program, 10, "")).block()).as("an older replay").isFalse();
    }

    @Test
    void theLayoutWithoutHashTagsWouldFailEveryApply() {
        RedisScript<Long> apply = RedisScript.of(ProgramHash.applyScript(), Long.class);

        assertThatThrownBy(() -> redis.execute(apply, List.of("program:212314", "program:212314:deleted"),
                List.of("1", "1", "", "212314", "60")).blockFirst())
                .hasStackTraceContaining("CROSSSLOT");
    }

    @Test
    void addsDeadLettersInClusterMode() {
        store.deadLetter(new KinesisBatch.Record("s", "shard", "1", null, new byte[] { 1 }), "reason").block();

        assertThat(redis.opsForStream().size("program-updates:dead-letters").block()).isEqualTo(1);
    }
}
