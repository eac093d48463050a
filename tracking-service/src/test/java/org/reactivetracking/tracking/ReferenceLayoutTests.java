package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.TrackingEvent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service adopting a Redis as AWS's reactive reference architecture left it: with an empty key prefix it reads
 * each program from the hash under its bare id (every value a string, {@code userAgent} and {@code messageId}
 * present, no {@code version}), and a purge deletes only program hashes and deletion markers, never the keys of
 * other applications sharing that cache. Its own application context (the one with the empty prefix).
 */
class ReferenceLayoutTests extends EngineBackedTests {

    @Autowired
    ReactiveStringRedisTemplate redis;

    @DynamicPropertySource
    static void referenceLayout(DynamicPropertyRegistry registry) {
        registry.add("tracking.programs.key-prefix", () -> "");
        registry.add("tracking.programs.channel", () -> "reference-layout-changes");
    }

    @BeforeEach
    void forgetEarlierKeys() {
        redis.delete("212313", "212314", "{212315}:deleted", "session42", "user1001", "cache:user:1",
                "{abc}:deleted", "212399", "program:{212316}").block();
    }

    @Test
    void tracksAProgramTheReferenceArchitectureStored() {
        referenceProgram("212313", "program2", "9124");

        JsonNode body = http.get().uri("/event/212313").header("User-Agent", "pixel/2.0").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(body.get("programName").stringValue()).isEqualTo("program2");
        assertThat(body.get("customerId").intValue()).isEqualTo(9124);
        assertThat(body.get("valid").booleanValue()).isTrue();
        assertThat(body.get("userAgent").stringValue()).as("the request's, not the one stored").isEqualTo("pixel/2.0");
        String messageId = body.get("messageId").stringValue();
        TrackingEvent onStream = eventsOnStream().stream().filter(event -> event.messageId().equals(messageId))
                .findFirst().orElseThrow(() -> new AssertionError("event " + messageId + " not on the stream"));
        assertThat(onStream.program().customerId()).isEqualTo(9124);
        assertThat(onStream.program().customerName()).isEqualTo("Customer of 212313");
        assertThat(hash("212313")).as("left as the reference wrote it").doesNotContainKey("version")
                .containsEntry("messageId", "5e1c7d0e-7c6b-4a7e-9a53-0b6d2f9e1a11");
    }

    @Test
    void redirectsNowhereForAProgramStoredWithoutAnAllowList() {
        referenceProgram("212313", "program2", "9124");

        http.get().uri("/click/212313?u=https://example.com/").exchange().expectStatus().isBadRequest()
                .expectHeader().doesNotExist("Location")
                .expectBody().jsonPath("$.detail").isEqualTo("destination is not on the program's redirect allow-list");
        http.get().uri("/pixel/212313.gif").exchange().expectStatus().isOk();
    }

    @Test
    void answers404ForKeysOfOtherApplicationsThatLookLikeIds() {
        redis.opsForValue().set("session42", "someone else's").block();
        redis.opsForHash().put("user1001", "name", "a user").block();

        http.get().uri("/event/session42").exchange().expectStatus().isNotFound();
        http.get().uri("/event/user1001").exchange().expectStatus().isNotFound();
    }

    @Test
    void purgeDeletesOnlyProgramsAndDeletionMarkers() {
        referenceProgram("212313", "program2", "9124");
        referenceProgram("212314", "program3", "9125");
        redis.opsForValue().set("{212315}:deleted", "7").block();
        // what else a shared cache holds: keys shaped like ids that are no programs, keys of other layouts
        redis.opsForValue().set("session42", "someone else's").block();
        redis.opsForHash().put("user1001", "name", "a user").block();
        redis.opsForList().rightPush("212399", "a queue").block();
        redis.opsForValue().set("cache:user:1", "cached").block();
        redis.opsForValue().set("{abc}:deleted", "not a version").block();
        redis.opsForHash().putAll("program:{212316}", Map.of("programId", "212316")).block();

        JsonNode body = http.post().uri("/cache/purge").header("X-Api-Key", API_KEY).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(body.get("deletedKeys").longValue()).isEqualTo(3);
        assertThat(redis.countExistingKeys(List.of("212313", "212314", "{212315}:deleted")).block()).isZero();
        assertThat(redis.opsForValue().get("session42").block()).isEqualTo("someone else's");
        assertThat(hash("user1001")).containsEntry("name", "a user");
        assertThat(redis.opsForList().size("212399").block()).isEqualTo(1);
        assertThat(redis.opsForValue().get("cache:user:1").block()).isEqualTo("cached");
        assertThat(redis.opsForValue().get("{abc}:deleted").block()).isEqualTo("not a version");
        assertThat(hash("program:{212316}")).containsEntry("programId", "212316");
    }

    /** A program as the reference architecture's tracking service stored it (HMSET of its message's fields). */
    private void referenceProgram(String id, String name, String customerId) {
        redis.opsForHash().putAll(id, Map.of("programId", id, "programName", name, "checksum", "124",
                "customerId", customerId, "customerName", "Customer of " + id, "valid", "true",
                "userAgent", "Mozilla/5.0", "messageId", "5e1c7d0e-7c6b-4a7e-9a53-0b6d2f9e1a11")).block();
    }

    private Map<String, String> hash(String key) {
        return redis.<String, String>opsForHash().entries(key).collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block();
    }
}
