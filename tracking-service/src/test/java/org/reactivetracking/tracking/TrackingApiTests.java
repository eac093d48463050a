package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.TrackingEvent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TrackingApiTests extends EngineBackedTests {

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void seed() {
        seedSamplePrograms();
    }

    @Test
    void publishesTheEventOfAKnownProgramBeforeAnswering() {
        JsonNode body = http.get().uri("/event/212313").header("User-Agent", "pixel/1.0").exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        String messageId = body.get("messageId").stringValue();
        assertThat(body.get("programName").stringValue()).isEqualTo("Summer sale video");
        assertThat(body.get("userAgent").stringValue()).isEqualTo("pixel/1.0");
        TrackingEvent onStream = eventsOnStream().stream().filter(event -> event.messageId().equals(messageId))
                .findFirst().orElseThrow(() -> new AssertionError("event " + messageId + " not on the stream"));
        assertThat(onStream.program().programId()).isEqualTo("212313");
        assertThat(onStream.program().customerName()).isEqualTo("Anycompany Outdoor");
        assertThat(onStream.userAgent()).isEqualTo("pixel/1.0");
        assertThat(onStream.receivedAt()).isNotNull();
    }

    @Test
    void timesEachTrackingRouteUnderItsPattern() {
        http.get().uri("/event/212313").exchange().expectStatus().isOk();
        http.get().uri("/pixel/212313.gif").exchange().expectStatus().isOk();
        http.get().uri("/click/999999?u=https://example.com/").exchange().expectStatus().isNotFound();

        // recorded once the answer is written, which the client may see first: waited for, never slept on
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(meters.get("http.server.requests")
                .timers().stream().map(timer -> timer.getId().getTag("uri") + " " + timer.getId().getTag("status")))
                .contains("/event/{programId} 200", "/pixel/{programId}.gif 200", "/click/{programId} 404"));
    }

    @Test
    void answers404ProblemDetailsForAnUnknownProgram() {
        http.get().uri("/event/999999").exchange().expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404).jsonPath("$.detail").isEqualTo("no program 999999");
    }

    @Test
    void answers400ProblemDetailsForAnInvalidProgramId() {
        http.get().uri("/event/{id}", "a".repeat(65)).exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Invalid program id");
        http.get().uri("/event/{id}", "drop table;").exchange().expectStatus().isBadRequest();
    }

    @Test
    void tracksARequestWithoutUserAgentWithAnEmptyOne() throws IOException {
        // A raw request: HTTP clients add a User-Agent of their own.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /event/212312 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 200");
            String body = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(JsonMapper.shared().readTree(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1))
                    .get("userAgent").stringValue()).isEmpty();
        }
    }

    /**
     * How records are batched is shown, without timing, by the publisher's own tests; here: nothing acknowledged is
     * lost, whatever the machine's load.
     */
    @Test
    void acknowledgesConcurrentEventsOnlyOnceTheyAreOnTheStream() {
        // its own connections, closed at the end: the 256 opened here never serve another test's requests
        ConnectionProvider connections = ConnectionProvider.create("concurrent-events", 256);
        WebClient client = WebClient.builder().baseUrl("http://127.0.0.1:" + port)
                .clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections))).build();

        Map<HttpStatus, List<String>> byStatus;
        try {
            byStatus = send2000(client);
        }
        finally {
            connections.disposeLater().block(Duration.ofSeconds(30));
        }

        // a loaded machine may refuse some by their deadline (503, honestly); none may be acknowledged and lost
        assertThat(byStatus.keySet()).isNotEmpty().isSubsetOf(HttpStatus.OK, HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(byStatus.values().stream().mapToInt(List::size).sum()).isEqualTo(2000);
        Set<String> acknowledged = Set.copyOf(byStatus.getOrDefault(HttpStatus.OK, List.of()));
        assertThat(acknowledged).as("acknowledged, each with its own id").isNotEmpty()
                .hasSize(byStatus.getOrDefault(HttpStatus.OK, List.of()).size());
        Set<String> onStream = eventsOnStream().stream().map(TrackingEvent::messageId).collect(Collectors.toSet());
        assertThat(onStream).containsAll(acknowledged);
    }

    /** 2,000 events, 256 at a time: the message ids by status. */
    private static Map<HttpStatus, List<String>> send2000(WebClient client) {
        return Flux.range(0, 2000)
                .flatMap(i -> client.get().uri("/event/212314").exchangeToMono(response -> response
                        .bodyToMono(JsonNode.class).map(json -> Map.entry(HttpStatus.valueOf(
                                response.statusCode().value()), json.path("messageId").asString()))), 256)
                .collectMultimap(Map.Entry::getKey, Map.Entry::getValue)
                .map(multimap -> multimap.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        entry -> List.copyOf(entry.getValue()))))
                .block(Duration.ofMinutes(2));
    }

    @Test
    void refusesTheAdminApiWithoutTheKey() {
        http.post().uri("/cache/fill").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/cache/purge").header("X-Api-Key", "wrong").exchange().expectStatus().isUnauthorized();
        http.put().uri("/programs/1").header("X-Api-Key", "wrong").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void servesTheProbesWithoutDetailsAndTheRestOfTheActuatorOnlyWithTheKey() {
        http.get().uri("/health/check").exchange().expectStatus().isOk()
                .expectBody().json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                .expectBody().json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> http.get().uri("/actuator/health/readiness")
                .exchange().expectStatus().isOk().expectBody().json("{\"status\":\"UP\"}", JsonCompareMode.STRICT));

        http.get().uri("/actuator/health").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/actuator/metrics").exchange().expectStatus().isUnauthorized();
        http.get().uri("/actuator/metrics").header("X-Api-Key", API_KEY).exchange().expectStatus().isOk();
        http.get().uri("/actuator/health").header("X-Api-Key", API_KEY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.eventStream.details.stream").isEqualTo(EVENTS)
                .jsonPath("$.components.publisher.status").isEqualTo("UP");
    }

    @Test
    void rejectsAnInvalidProgramUpdateWith400() {
        http.put().uri("/programs/212399").header("X-Api-Key", API_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"programName\":\"\",\"customerId\":-1}").exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void rejectsAnInvalidSeedWith400() {
        http.post().uri("/cache/fill").header("X-Api-Key", API_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[{\"programId\":\"seed-1\",\"programName\":\"n\"}]").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.post().uri("/cache/fill").header("X-Api-Key", API_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("not json").exchange().expectStatus().isBadRequest();
        http.get().uri("/event/seed-1").exchange().expectStatus().isNotFound();
    }

    @Test
    void purgeForgetsEveryProgram() {
        http.get().uri("/event/212316").exchange().expectStatus().isOk();

        http.post().uri("/cache/purge").header("X-Api-Key", API_KEY).exchange().expectStatus().isOk();

        http.get().uri("/event/212316").exchange().expectStatus().isNotFound();
    }
}
