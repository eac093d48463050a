package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.tracking.program.ChangeChannel;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import tools.jackson.databind.JsonNode;

/**
 * What users see while an engine is down (the health check stays up; readiness reports the outage from its
 * background probe), and how program changes reach a running instance.
 */
class ResilienceTests extends EngineBackedTests {

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    ApplicationContext context;

    @BeforeEach
    void seed() {
        seedSamplePrograms();
    }

    @Test
    void answers503WhileKinesisIsDownAndAcknowledgesOnlyRecordedEvents() {
        http.get().uri("/event/212313").exchange().expectStatus().isOk();

        engines.kinesis().stop();
        try {
            http.get().uri("/event/212313").exchange().expectStatus().isEqualTo(503)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                    .expectHeader().valueEquals(HttpHeaders.PRAGMA, "no-cache")
                    .expectHeader().valueEquals(HttpHeaders.EXPIRES, "0")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.title").isEqualTo("Event not accepted");
            // the pixel and the click answer the same, and redirect nowhere
            http.get().uri("/pixel/212313.gif").exchange().expectStatus().isEqualTo(503)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            http.get().uri("/click/212312?u=https://shop.example.com/").exchange().expectStatus().isEqualTo(503)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER).expectHeader().doesNotExist(HttpHeaders.LOCATION)
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store");
            // alive: replacing the instance would not bring Kinesis back
            http.get().uri("/health/check").exchange().expectStatus().isOk();
            // not ready, once the background probe has seen the outage; operators see which dependency
            awaitReadiness(503);
            awaitComponent("eventStream", "DOWN");
        }
        finally {
            engines.kinesis().start();
            engines.ensureStream(EVENTS, 2);
            engines.ensureStream(UPDATES, 1);
        }

        awaitReadiness(200);
        String messageId = await().atMost(Duration.ofSeconds(30)).until(() -> trackedMessageId("212313"),
                id -> id != null);
        Set<String> onStream = eventsOnStream().stream().map(TrackingEvent::messageId).collect(Collectors.toSet());
        assertThat(onStream).contains(messageId);
    }

    @Test
    void keepsTrackingCachedProgramsWhileRedisIsDown() {
        http.post().uri("/cache/fill").header("X-Api-Key", API_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        [{"programId":"never-looked-up","programName":"n","checksum":"c","customerId":1,
                          "customerName":"c","valid":true}]""")
                .exchange().expectStatus().isOk();
        // past the seeds' announcements, which would drop 212312 from the cache after it was looked up
        ChangeChannel.awaitListening(context);
        http.get().uri("/event/212312").exchange().expectStatus().isOk();

        engines.redis().stop();
        try {
            http.get().uri("/event/212312").exchange().expectStatus().isOk();
            http.get().uri("/event/never-looked-up").exchange().expectStatus().isEqualTo(503)
                    .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                    .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                    .expectHeader().valueEquals(HttpHeaders.PRAGMA, "no-cache")
                    .expectHeader().valueEquals(HttpHeaders.EXPIRES, "0")
                    .expectBody().jsonPath("$.title").isEqualTo("Program store unavailable")
                    .jsonPath("$.recorded").isEqualTo("no");
            // stays in rotation, serving what it has cached
            http.get().uri("/health/check").exchange().expectStatus().isOk()
                    .expectBody().json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
            awaitReadiness(503);
            awaitComponent("redis", "DOWN");
            http.get().uri("/health/check").exchange().expectStatus().isOk();
            http.get().uri("/event/212312").exchange().expectStatus().isOk();
        }
        finally {
            engines.redis().start();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            seedSamplePrograms();
            http.get().uri("/event/212314").exchange().expectStatus().isOk();
        });
        awaitReadiness(200);
    }

    @Test
    void dropsACachedProgramWhenItsChangeIsAnnounced() {
        // subscribed (a resubscription after another test's Redis restart drops the whole cache) and past the
        // announcements of the seed
        ChangeChannel.awaitListening(context);
        assertThat(programName("212315")).isEqualTo("Retired campaign");

        redis.opsForHash().put("program:{212315}", "programName", "Revived campaign").block();
        assertThat(programName("212315")).as("still served from the cache").isEqualTo("Retired campaign");
        redis.convertAndSend("program-changes", "212315").block();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> programName("212315"), "Revived campaign"::equals);
    }

    private void awaitReadiness(int status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> http.get().uri("/actuator/health/readiness")
                .exchange().expectStatus().isEqualTo(status));
    }

    /** As operators see it: the whole health, with the key. */
    private void awaitComponent(String component, String status) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> http.get().uri("/actuator/health")
                .header("X-Api-Key", API_KEY).exchange().expectBody()
                .jsonPath("$.components." + component + ".status").isEqualTo(status));
    }

    private String trackedMessageId(String programId) {
        var result = http.get().uri("/event/" + programId).exchange().returnResult(JsonNode.class);
        if (result.getStatus().value() != 200) {
            return null;
        }
        return result.getResponseBody().blockFirst().get("messageId").stringValue();
    }

    private String programName(String programId) {
        return http.get().uri("/event/" + programId).exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("programName").stringValue();
    }
}
