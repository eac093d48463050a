package org.reactivetracking.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.engines.LocalEngines;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramHash;
import org.reactivetracking.model.ProgramUpdate;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The program store with an empty key prefix, on a Redis that holds programs as AWS's reactive reference
 * architecture left them: a hash under the bare program id, every value a string, {@code userAgent} and
 * {@code messageId} present, no {@code version}. Updates replace those hashes and deletions leave their marker
 * under {@code {<id>}:deleted}.
 */
class ReferenceLayoutTests {

    private static final Duration MARKER_TTL = Duration.ofDays(8);

    private static LettuceConnectionFactory connections;
    private static ReactiveStringRedisTemplate redis;
    private static ProgramStore store;

    @BeforeAll
    static void connect() {
        connections = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", LocalEngines.shared().redis().port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new ReactiveStringRedisTemplate(connections);
        store = new ProgramStore(redis, new ProgramUpdaterProperties("", "reference-layout-changes", MARKER_TTL,
                "reference-layout:dead-letters", 100, Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @AfterAll
    static void disconnect() {
        if (connections != null) {
            connections.destroy();
        }
    }

    @BeforeEach
    void seedAsTheReferenceDid() {
        redis.delete("212313", "{212313}:deleted", "212314", "{212314}:deleted", "session42").block();
        referenceProgram("212313", "program2", "9124");
        referenceProgram("212314", "program3", "9125");
    }

    @Test
    void replacesAProgramTheReferenceWroteWithItsFirstUpdateEvenOneWithoutVersion() {
        // an update record of the reference's producers carries no version: version 0
        Program changed = new Program("212313", "Renamed", "124", 9124, "Customer2", false);

        assertThat(store.apply(ProgramUpdate.upsert(changed, 0, "")).block()).isTrue();

        assertThat(hash("212313")).as("the whole hash is ours now, versioned").isEqualTo(ProgramHash.toHash(changed, 0));
        assertThat(redis.hasKey("program:{212313}").block()).as("nothing written under a prefix").isFalse();
    }

    @Test
    void deletesTheBareKeyAndRemembersTheDeletionInItsMarker() {
        assertThat(store.apply(ProgramUpdate.deletion("212314", 5, "")).block()).isTrue();

        assertThat(redis.hasKey("212314").block()).isFalse();
        assertThat(redis.opsForValue().get("{212314}:deleted").block()).isEqualTo("5");
        assertThat(redis.getExpire("{212314}:deleted").block()).isPositive().isLessThanOrEqualTo(MARKER_TTL);
        assertThat(hash("212313")).as("another program").containsEntry("programName", "program2");
    }

    @Test
    void keepsADeletedProgramDeletedAgainstAnOlderReplayAndTakesANewerUpsert() {
        store.apply(ProgramUpdate.deletion("212314", 5, "")).block();
        Program program = new Program("212314", "Back", "c", 9125, "Customer3", true);

        assertThat(store.apply(ProgramUpdate.upsert(program, 4, "")).block()).as("older than the deletion").isFalse();
        assertThat(redis.hasKey("212314").block()).isFalse();

        assertThat(store.apply(ProgramUpdate.upsert(program, 6, "")).block()).isTrue();
        assertThat(hash("212314")).isEqualTo(ProgramHash.toHash(program, 6));
        assertThat(redis.hasKey("{212314}:deleted").block()).as("the marker goes with the newer upsert").isFalse();
    }

    @Test
    void refusesToOverwriteAnotherApplicationsKeyThatLooksLikeAnId() {
        // a cache shared with other applications: their key where a program would be is a data error (a dead
        // letter in the updater), never overwritten
        redis.opsForValue().set("session42", "someone else's").block();
        Program program = new Program("session42", "n", "c", 1, "c", true);

        assertThatThrownBy(() -> store.apply(ProgramUpdate.upsert(program, 1, "")).block())
                .hasStackTraceContaining("WRONGTYPE");
        assertThat(redis.opsForValue().get("session42").block()).isEqualTo("someone else's");
    }

    private static void referenceProgram(String id, String name, String customerId) {
        redis.opsForHash().putAll(id, Map.of("programId", id, "programName", name, "checksum", "124",
                "customerId", customerId, "customerName", "Customer of " + id, "valid", "true",
                "userAgent", "Mozilla/5.0", "messageId", "5e1c7d0e-7c6b-4a7e-9a53-0b6d2f9e1a11")).block();
    }

    private static Map<String, String> hash(String key) {
        return redis.<String, String>opsForHash().entries(key).collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block();
    }
}
