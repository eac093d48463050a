package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.reactivetracking.model.RedirectRule;
import org.reactivetracking.model.TrackingEvent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The tracking routes beside {@code /event}: the pixel, the click redirect and its allow-list, {@code eid} as the
 * message id, {@code HEAD} recording nothing, and no answer ever cacheable. What a refused request would have
 * recorded is looked for by its {@code eid}, after a marker event tracked later is on the stream.
 */
class TrackingRoutesTests extends EngineBackedTests {

    /** A program whose redirect allow-list the click tests use. */
    static final String CLICKS = "click-routes";
    /** Its allow-list, as the admin API is given it. */
    static final List<String> ALLOW_LIST = List.of("HTTPS://Allowed.com", "https://shop.example.com/sale/");
    private static final byte[] TRANSPARENT_GIF = Base64.getDecoder()
            .decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    @Autowired
    ReactiveStringRedisTemplate redis;

    @LocalServerPort
    int port;

    @BeforeEach
    void seed() {
        seedSamplePrograms();
        http.post().uri("/cache/fill").header("X-Api-Key", API_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(List.of(Map.of("programId", CLICKS, "programName", "Clicks", "checksum", "c",
                        "customerId", 7, "customerName", "c", "valid", true, "redirectAllowList", ALLOW_LIST)))
                .exchange().expectStatus().isOk();
    }

    @Test
    void answersThePixelOnceItsEventIsOnTheStream() {
        String eid = UUID.randomUUID().toString();

        byte[] gif = http.get().uri("/pixel/212314.gif?eid=" + eid).header("User-Agent", "mail/1.0").exchange()
                .expectStatus().isOk().expectHeader().contentType(MediaType.IMAGE_GIF)
                .expectHeader().contentLength(43).expectBody(byte[].class).returnResult().getResponseBody();

        assertThat(gif).isEqualTo(TRANSPARENT_GIF);
        assertThat(new String(gif, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        TrackingEvent onStream = onStream(eid);
        assertThat(onStream.program().programId()).isEqualTo("212314");
        assertThat(onStream.userAgent()).isEqualTo("mail/1.0");
    }

    @Test
    void redirectsAClickToAnAllowedDestinationOnceItsEventIsOnTheStream() {
        String eid = UUID.randomUUID().toString();
        String destination = "https://shop.example.com/sale/shoes?size=42&colour=red#top";

        http.get().uri(uri -> uri.path("/click/" + CLICKS).queryParam("u", "{u}").queryParam("eid", eid)
                .build(destination)).exchange()
                .expectStatus().isFound().expectHeader().valueEquals(HttpHeaders.LOCATION, destination)
                .expectBody().isEmpty();

        assertThat(onStream(eid).program().programId()).isEqualTo(CLICKS);
        // the sample program's own list, seeded from sample-programs.json
        http.get().uri(uri -> uri.path("/click/212312").queryParam("u", "{u}").build("https://shop.example.com/x"))
                .exchange().expectStatus().isFound().expectHeader().location("https://shop.example.com/x");
    }

    @Test
    void redirectsToTheLongestDestinationAnAllowListTakesWhateverItsEncodingAdds() {
        // 2,048 characters, nearly all '=' and '&': three characters each once encoded in the query
        String base = "https://allowed.com/?";
        String destination = base + "=&".repeat((RedirectRule.MAX_LENGTH - base.length()) / 2);
        destination += "x".repeat(RedirectRule.MAX_LENGTH - destination.length());
        String query = "u=" + URLEncoder.encode(destination, StandardCharsets.UTF_8);
        assertThat(query.length()).as("longer than Netty's default request line").isGreaterThan(4_096);

        RawHttp.Response response = new RawHttp(port).send("GET", "/click/" + CLICKS + "?" + query, List.of());

        assertThat(response.status()).as("%s", response).isEqualTo(302);
        assertThat(response.headers().get("location")).isEqualTo(destination);
    }

    @Test
    void refusesHostileClickDestinationsWith400AndRecordsNothing() {
        RawHttp raw = new RawHttp(port);
        List<String> refusedIds = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        List<String> queries = new ArrayList<>();
        for (String destination : HostileDestinations.ALL) {
            queries.add("u=" + URLEncoder.encode(destination, StandardCharsets.UTF_8));
        }
        // encodings sent as they are: CR LF and NUL decoded from the query, a double encoding, a plus (a space)
        queries.addAll(List.of("u=https://allowed.com/%0d%0aSet-Cookie:%20a=b", "u=https://allowed.com/%0aX:%20y",
                "u=https://allowed.com/%00", "u=https%253A%252F%252Fevil.com%252F", "u=%2F%2Fevil.com",
                "u=https:%2F%2Fevil.com", "u=https://allowed.com/a+b", "u=https://allowed.com%2Eevil.com/",
                "u=https://allowed.com%5C@evil.com/", "u=%68ttps://evil.com/", "u=", "u", "",
                "u=https://allowed.com/&u=https://evil.com/", "U=https://allowed.com/"));
        for (String query : queries) {
            String eid = UUID.randomUUID().toString();
            refusedIds.add(eid);
            RawHttp.Response response = raw.send("GET", "/click/" + CLICKS + "?" + query + "&eid=" + eid, List.of());
            if (response.status() != 400 || !response.isProblem()) {
                violations.add(query + " -> " + response);
            }
        }
        // a program without an allow-list (as every program stored before the field existed) redirects nowhere
        String eid = UUID.randomUUID().toString();
        refusedIds.add(eid);
        http.get().uri(uri -> uri.path("/click/212313").queryParam("u", "{u}").queryParam("eid", eid)
                .build("https://shop.example.com/sale/")).exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Redirect not allowed")
                .jsonPath("$.detail").isEqualTo("destination is not on the program's redirect allow-list");
        String unknown = UUID.randomUUID().toString();
        refusedIds.add(unknown);
        http.get().uri("/click/999999?u=https://allowed.com/&eid=" + unknown).exchange().expectStatus().isNotFound();

        assertThat(violations).isEmpty();
        assertThat(eventsUpToAMarker().stream().map(TrackingEvent::messageId)).doesNotContainAnyElementsOf(refusedIds);
    }

    @Test
    void recordsNothingForAHead() {
        List<String> heads = new ArrayList<>();
        for (String route : List.of("/event/212313", "/pixel/212313.gif", "/click/" + CLICKS)) {
            String eid = UUID.randomUUID().toString();
            heads.add(eid);
            for (List<String> key : List.of(List.<String>of(), List.of("X-Api-Key: " + API_KEY))) {
                RawHttp.Response response = new RawHttp(port).send("HEAD",
                        route + "?u=https://allowed.com/&eid=" + eid, key);
                assertThat(response.status()).as("HEAD %s %s", route, key).isEqualTo(405);
                assertThat(response.headers()).as("HEAD %s", route).containsEntry("allow", "GET")
                        .containsEntry("cache-control", "no-store");
                assertThat(response.body()).isEmpty();
            }
        }

        assertThat(eventsUpToAMarker().stream().map(TrackingEvent::messageId)).doesNotContainAnyElementsOf(heads);
    }

    @Test
    void refusesEveryOtherMethodAndAnAnswerTheClientCannotTakeRecordingNothing() {
        List<String> refused = new ArrayList<>();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PURGE")) {
            for (String route : List.of("/event/212313", "/pixel/212313.gif", "/click/" + CLICKS)) {
                String eid = UUID.randomUUID().toString();
                refused.add(eid);
                for (List<String> key : List.of(List.<String>of(), List.of("X-Api-Key: " + API_KEY))) {
                    RawHttp.Response response = new RawHttp(port).send(method,
                            route + "?u=https://allowed.com/&eid=" + eid, key);
                    String request = method + " " + route + " " + key;
                    if (response.status() == 400) {
                        continue; // a method the HTTP server itself refuses (TRACE)
                    }
                    assertThat(response.status()).as(request).isEqualTo(405);
                    assertThat(response.headers()).as(request).containsEntry("allow", "GET")
                            .containsEntry("content-type", "application/problem+json")
                            .containsEntry("cache-control", "no-store");
                    assertThat(response.body()).as(request).contains("\"status\":405");
                }
            }
        }
        String eid = UUID.randomUUID().toString();
        refused.add(eid);
        RawHttp.Response html = new RawHttp(port).send("GET", "/event/212313?eid=" + eid,
                List.of("Accept: text/html"));
        assertThat(html.status()).isEqualTo(406);
        assertThat(html.headers()).containsEntry("content-type", "application/problem+json");
        assertThat(html.body()).contains("\"status\":406", "application/json");
        for (String malformed : List.of("json", "text/html;q=abc")) {
            String id = UUID.randomUUID().toString();
            refused.add(id);
            RawHttp.Response bad = new RawHttp(port).send("GET", "/event/212313?eid=" + id,
                    List.of("Accept: " + malformed));
            assertThat(bad.status()).as("Accept: %s", malformed).isEqualTo(406);
        }
        http.get().uri("/event/212313").header(HttpHeaders.ACCEPT, "text/html;q=0.9, */*;q=0.1").exchange()
                .expectStatus().isOk();

        assertThat(eventsUpToAMarker().stream().map(TrackingEvent::messageId)).doesNotContainAnyElementsOf(refused);
    }

    @Test
    void usesTheEidAsTheMessageIdSoThatARetryIsOneEvent() {
        String eid = UUID.randomUUID().toString();

        for (String spelling : List.of(eid, eid.toUpperCase())) {
            http.get().uri("/event/212313?eid=" + spelling).exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.messageId").isEqualTo(eid);
        }
        String pixel = UUID.randomUUID().toString();
        http.get().uri("/pixel/212313.gif?eid=" + pixel).exchange().expectStatus().isOk();
        String click = UUID.randomUUID().toString();
        http.get().uri("/click/" + CLICKS + "?u=https://allowed.com/&eid=" + click).exchange().expectStatus().isFound();

        List<TrackingEvent> events = await().atMost(Duration.ofSeconds(30)).until(EngineBackedTests::eventsOnStream,
                all -> count(all, eid) == 2 && count(all, pixel) == 1 && count(all, click) == 1);
        assertThat(events.stream().filter(event -> event.messageId().equals(eid)))
                .allSatisfy(event -> assertThat(event.program().programId()).isEqualTo("212313"));
    }

    @Test
    void refusesAnEidThatIsNoUuidWith400AndRecordsNothing() {
        RawHttp raw = new RawHttp(port);
        List<String> violations = new ArrayList<>();
        String valid = UUID.randomUUID().toString();
        List<String> eids = List.of("", "1", "1-1-1-1-1", "not-a-uuid", valid + "0", valid.replace("-", ""),
                "%7B" + valid + "%7D", valid.substring(1) + "g", valid + "%00", valid + "%0d%0a", "%20" + valid,
                "a".repeat(3_000), valid + "&eid=" + UUID.randomUUID(), valid + "&eid");
        for (String route : List.of("/event/212313", "/pixel/212313.gif", "/click/" + CLICKS)) {
            for (String eid : eids) {
                String target = route + "?u=https://allowed.com/&eid=" + eid;
                RawHttp.Response response = raw.send("GET", target, List.of());
                if (response.status() != 400 || !response.isProblem()
                        || !"no-store".equals(response.headers().get("cache-control"))) {
                    violations.add(RawHttp.abbreviate(target) + " -> " + response);
                }
            }
        }

        assertThat(violations).isEmpty();
        assertThat(eventsUpToAMarker().stream().map(TrackingEvent::messageId)).doesNotContain(valid);
    }

    @Test
    void marksEveryAnswerOfATrackingRouteNotToBeCached() {
        String huge = "huge-program";
        // a program too large for a Kinesis record, as only a hand-written hash could be: the 413 path
        redis.opsForHash().putAll("program:{" + huge + "}", Map.of("programId", huge, "programName",
                "n".repeat(1_100_000), "customerId", "1", "valid", "true")).block();
        try {
            Map<String, HttpStatus> answers = new LinkedHashMap<>();
            answers.put("/event/212313", HttpStatus.OK);
            answers.put("/pixel/212313.gif", HttpStatus.OK);
            answers.put("/click/" + CLICKS + "?u=https://allowed.com/", HttpStatus.FOUND);
            answers.put("/event/999999", HttpStatus.NOT_FOUND);
            answers.put("/pixel/999999.gif", HttpStatus.NOT_FOUND);
            answers.put("/event/a:b", HttpStatus.BAD_REQUEST);
            answers.put("/pixel/a:b.gif", HttpStatus.BAD_REQUEST);
            answers.put("/event/212313?eid=1", HttpStatus.BAD_REQUEST);
            answers.put("/click/" + CLICKS + "?u=https://evil.com/", HttpStatus.BAD_REQUEST);
            answers.put("/event/" + huge, HttpStatus.CONTENT_TOO_LARGE);
            answers.put("/pixel/" + huge + ".gif", HttpStatus.CONTENT_TOO_LARGE);
            answers.put("/cache/purge", HttpStatus.METHOD_NOT_ALLOWED);
            answers.forEach((uri, status) -> assertNotCacheable(http.get().uri(uri).exchange()
                    .expectStatus().isEqualTo(status)));
            assertNotCacheable(http.post().uri("/cache/purge").exchange().expectStatus().isUnauthorized());
            assertNotCacheable(http.get().uri("/openapi.yaml").exchange().expectStatus().isOk());
        }
        finally {
            redis.delete("program:{" + huge + "}").block();
        }
    }

    @Test
    void publishesTheAllowListOfAProgramUpdateInCanonicalForm() {
        String program = "allow-list-update-" + System.nanoTime();

        http.put().uri("/programs/" + program).header("X-Api-Key", API_KEY).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("programName", "n", "checksum", "c", "customerId", 1, "customerName", "c",
                        "valid", true, "redirectAllowList", ALLOW_LIST))
                .exchange().expectStatus().isAccepted();

        var update = await().atMost(Duration.ofSeconds(30)).until(() -> recordsOn(UPDATES).stream()
                .map(ProgramUpdateCodec::decode)
                .filter(candidate -> candidate.program().programId().equals(program)).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(update.program().redirectAllowList()).containsExactly("https://allowed.com/",
                "https://shop.example.com/sale/");
    }

    @Test
    void refusesAProgramWhoseAllowListBreaksTheRule() {
        for (Object allowList : List.of(List.of("javascript:alert(1)"), List.of("https://example.com/shop"),
                List.of("https://user@example.com/"), List.of("//example.com/"), "https://example.com/",
                Collections.nCopies(65, "https://example.com/"), Arrays.asList("https://a.com/",
                        null))) {
            Map<String, Object> body = new HashMap<>(Map.of("programName", "n", "checksum", "c",
                    "customerId", 1, "customerName", "c", "valid", true));
            body.put("redirectAllowList", allowList);
            http.put().uri("/programs/allow-list-refused").header("X-Api-Key", API_KEY)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            body.put("programId", "allow-list-refused");
            http.post().uri("/cache/fill").header("X-Api-Key", API_KEY).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(List.of(body)).exchange().expectStatus().isBadRequest();
        }
        http.get().uri("/event/allow-list-refused").exchange().expectStatus().isNotFound();
    }

    private static void assertNotCacheable(WebTestClient.ResponseSpec response) {
        response.expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectHeader().valueEquals(HttpHeaders.PRAGMA, "no-cache")
                .expectHeader().valueEquals(HttpHeaders.EXPIRES, "0");
    }

    private static TrackingEvent onStream(String messageId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> eventsOnStream().stream()
                .filter(event -> event.messageId().equals(messageId)).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private static long count(List<TrackingEvent> events, String messageId) {
        return events.stream().filter(event -> event.messageId().equals(messageId)).count();
    }

    /**
     * Tracks a marker event and waits for it on the stream: every request answered before it has put whatever it
     * recorded there by then (a tracking route answers only once Kinesis has accepted its event).
     */
    private List<TrackingEvent> eventsUpToAMarker() {
        String marker = UUID.randomUUID().toString();
        http.get().uri("/event/212313?eid=" + marker).exchange().expectStatus().isOk();
        return await().atMost(Duration.ofSeconds(30)).until(EngineBackedTests::eventsOnStream,
                events -> events.stream().map(TrackingEvent::messageId).collect(Collectors.toSet()).contains(marker));
    }
}
