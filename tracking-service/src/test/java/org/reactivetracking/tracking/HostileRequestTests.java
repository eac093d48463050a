package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.ProgramKeys;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Requests an attacker or a broken client would send, on every route, as raw requests: no admin action without the
 * key, whatever the path, headers or body look like (checked by its side effects, not only the status), and a 4xx
 * with problem details, never a 5xx, for a client's mistake.
 */
class HostileRequestTests extends EngineBackedTests {

    /** Seeded before each test; must survive every purge attempt. */
    private static final String MARKER = "guard-marker";
    /** The program every PUT and DELETE attempt names; no update may be published for it. */
    private static final String TARGET = "guard-target";
    /** The program every seed attempt carries; it must never reach Redis. */
    private static final String SEEDED = "guard-seeded";
    /** Named by malformed updates sent with the key; none may be published. */
    private static final String MALFORMED = "guard-malformed";
    private static final String PROGRAM = """
            {"programName":"n","checksum":"c","customerId":1,"customerName":"c","valid":true}""";
    private static final String JSON = "Content-Type: application/json";
    private static final String KEY = "X-Api-Key: " + API_KEY;
    private static final Set<String> PUBLIC_PROBES = Set.of("/health/check", "/actuator/health/liveness",
            "/actuator/health/readiness");

    private final ProgramKeys keys = new ProgramKeys("program:");
    private final List<String> violations = new ArrayList<>();

    @Autowired
    ReactiveStringRedisTemplate redis;

    @LocalServerPort
    int port;

    RawHttp raw;

    @BeforeEach
    void seedMarker() {
        raw = new RawHttp(port);
        redis.delete(keys.hash(SEEDED)).block();
        var seeded = raw.send("POST", "/cache/fill", List.of(KEY, JSON),
                ("[" + program(MARKER) + "]").getBytes(StandardCharsets.UTF_8));
        assertThat(seeded.status()).as("seeding the marker: %s", seeded).isEqualTo(200);
        assertThat(markerExists()).isTrue();
    }

    @Test
    void purgesNothingWithoutTheKeyWhateverThePathLooksLike() {
        for (String target : withCanonical("/cache/purge")) {
            for (String method : List.of("POST", "GET", "PUT")) {
                check(method, target, List.of(), null, unauthorisedOrRefused());
                if (!markerExists()) {
                    violations.add(method + " " + RawHttp.abbreviate(target) + ": the programs were purged");
                    seedMarker();
                }
            }
        }
        assertThat(violations).isEmpty();
        // the check above can see a purge: with the key, the same request purges
        assertThat(raw.send("POST", "/cache/purge", List.of(KEY)).status()).isEqualTo(200);
        assertThat(markerExists()).isFalse();
    }

    @Test
    void seedsNothingWithoutTheKeyWhateverThePathLooksLike() {
        byte[] body = ("[" + program(SEEDED) + "]").getBytes(StandardCharsets.UTF_8);
        for (String target : withCanonical("/cache/fill")) {
            check("POST", target, List.of(JSON), body, unauthorisedOrRefused());
        }
        assertThat(violations).isEmpty();
        assertThat(redis.hasKey(keys.hash(SEEDED)).block()).as("a seed without the key reached Redis").isFalse();
        // the check above can see a seed: with the key, the same request seeds
        assertThat(raw.send("POST", "/cache/fill", List.of(KEY, JSON), body).status()).isEqualTo(200);
        assertThat(redis.hasKey(keys.hash(SEEDED)).block()).isTrue();
    }

    @Test
    void publishesNoProgramUpdateWithoutTheKeyWhateverThePathLooksLike() {
        byte[] body = PROGRAM.getBytes(StandardCharsets.UTF_8);
        for (String target : withCanonical("/programs/" + TARGET)) {
            check("PUT", target, List.of(JSON), body, unauthorisedOrRefused());
            check("DELETE", target, List.of(), null, unauthorisedOrRefused());
        }
        assertThat(violations).isEmpty();
        assertNoUpdatePublishedFor(TARGET);
    }

    @Test
    void refusesEveryMalformedKey() {
        List<List<String>> malformed = List.of(List.of(), List.of("X-Api-Key:"), List.of("X-Api-Key: "),
                List.of("X-Api-Key: " + API_KEY.toUpperCase()), List.of("X-Api-Key: " + API_KEY + "x"),
                List.of("X-Api-Key: " + API_KEY.substring(1)), List.of("X-Api-Key: " + API_KEY + ", " + API_KEY),
                List.of(KEY, "X-Api-Key: wrong"), List.of("X-Api-Key: wrong", KEY), List.of(KEY, KEY),
                List.of("X-Api-Key: " + "k".repeat(7_000)), List.of("X-Api-Key: " + "k".repeat(20_000)),
                List.of("X-Api-Key: " + API_KEY + "\u00e9"), List.of("x-api-key: wrong"),
                List.of("X-Api-Keys: " + API_KEY), List.of("X-Api_Key: " + API_KEY), List.of("Api-Key: " + API_KEY),
                List.of("Authorization: Bearer " + API_KEY), List.of("X-Api-Key : " + API_KEY),
                List.of("Cookie: X-Api-Key=" + API_KEY));
        for (List<String> headers : malformed) {
            check("POST", "/cache/purge", headers, null, unauthorisedOrRefused());
            check("PUT", "/programs/" + TARGET, concat(headers, JSON), PROGRAM.getBytes(StandardCharsets.UTF_8),
                    unauthorisedOrRefused());
        }
        assertThat(violations).isEmpty();
        assertThat(markerExists()).as("the marker program survives").isTrue();
        assertNoUpdatePublishedFor(TARGET);
        // header names are case-insensitive in HTTP: the key under another spelling of the name is still the key
        assertThat(raw.send("GET", "/actuator/metrics", List.of("x-api-key: " + API_KEY)).status()).isEqualTo(200);
    }

    @Test
    void refusesBodyVariantsWithoutTheKeyAndAnswersMalformedOnesWith4xxWithIt() {
        for (String[] body : malformedUpdateBodies()) {
            List<String> headers = body[0] == null ? List.of() : List.of("Content-Type: " + body[0]);
            byte[] bytes = body[1].getBytes(StandardCharsets.UTF_8);
            check("PUT", "/programs/" + TARGET, headers, bytes, unauthorisedOrRefused());
            check("POST", "/cache/fill", headers, bytes, unauthorisedOrRefused());
            check("PUT", "/programs/" + MALFORMED, concat(headers, KEY), bytes, clientError());
        }
        for (String[] body : malformedSeedBodies()) {
            List<String> headers = List.of("Content-Type: " + body[0], KEY);
            check("POST", "/cache/fill", headers, body[1].getBytes(StandardCharsets.UTF_8), clientError());
        }
        assertThat(violations).isEmpty();
        assertThat(redis.hasKey(keys.hash(SEEDED)).block()).isFalse();
        assertThat(markerExists()).isTrue();
        assertNoUpdatePublishedFor(TARGET);
        assertNoUpdatePublishedFor(MALFORMED);
    }

    @Test
    void answersWrongMethodsWith405WithOrWithoutTheKey() {
        List<String[]> wrong = List.of(new String[] { "GET", "/cache/purge" }, new String[] { "DELETE", "/cache/fill" },
                new String[] { "POST", "/programs/" + TARGET }, new String[] { "GET", "/programs/" + TARGET },
                new String[] { "PATCH", "/programs/" + TARGET }, new String[] { "POST", "/event/212313" },
                new String[] { "DELETE", "/event/212313" }, new String[] { "POST", "/pixel/212313.gif" },
                new String[] { "PUT", "/pixel/212313.gif" }, new String[] { "POST", "/click/212313" },
                new String[] { "DELETE", "/click/212313" }, new String[] { "POST", "/openapi.yaml" },
                new String[] { "PUT", "/health/check" },
                new String[] { "POST", "/actuator/health/liveness" }, new String[] { "TRACE", "/cache/purge" },
                new String[] { "PURGE", "/cache/purge" });
        for (String[] request : wrong) {
            check(request[0], request[1], List.of(), null, response -> response.status() == 405
                    || response.status() == 401 || response.status() == 400);
            check(request[0], request[1], List.of(KEY), null, response -> response.status() == 405
                    || response.status() == 400);
        }
        assertThat(violations).isEmpty();
        assertThat(markerExists()).isTrue();
    }

    @Test
    void keepsTheActuatorForOperatorsExceptThePlainProbes() {
        List<String> actuator = List.of("/actuator", "/actuator/health", "/actuator/health/liveness",
                "/actuator/health/readiness", "/actuator/health/readiness/redis",
                "/actuator/health/readiness/eventStream", "/actuator/health/liveness/publisher",
                "/actuator/health/redis", "/actuator/health/eventStream", "/actuator/metrics",
                "/actuator/metrics/jvm.memory.used", "/actuator/info", "/actuator/prometheus", "/health/check",
                "/health/check/publisher");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> raw.send("GET", "/actuator/health/readiness", List.of()).status() == 200);
        for (String path : actuator) {
            boolean probe = PUBLIC_PROBES.contains(path);
            check("GET", path, List.of(), null, probe ? plainProbe() : unauthorisedOrRefused());
            check("HEAD", path, List.of(), null, probe ? probeStatus() : unauthorisedOrRefused());
            // a variant may reach the probe itself (a query, /health/check's matrix parameters), never more
            for (String target : PathVariants.of(path)) {
                check("GET", target, List.of(), null, probe ? plainProbe().or(unauthorisedOrRefused())
                        : unauthorisedOrRefused());
                check("HEAD", target, List.of(), null, probe ? probeStatus().or(unauthorisedOrRefused())
                        : unauthorisedOrRefused());
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void answersVariantsOfThePublicRoutesWithoutA5xx() {
        for (String path : List.of("/event/212313", "/event/" + MARKER, "/health/check", "/pixel/212313.gif",
                "/pixel/" + MARKER + ".gif", "/click/212313", "/click/" + MARKER, "/openapi.yaml")) {
            for (String target : withCanonical(path)) {
                check("GET", target, List.of(), null, response -> response.status() > 0 && response.status() < 500);
                check("HEAD", target, List.of(), null, response -> response.status() > 0 && response.status() < 500);
            }
        }
        // the event id's and the click's query parameters, hostile: refused, never a 5xx
        for (String query : List.of("eid=%00", "eid=%", "eid=%zz", "eid=" + "e".repeat(3_000), "eid&eid",
                "eid=%C3%A9", "eid=%0d%0a", "eid")) {
            for (String route : List.of("/event/212313", "/pixel/212313.gif", "/click/212313?u=https://e.com/")) {
                check("GET", route + (route.contains("?") ? "&" : "?") + query, List.of(), null, clientError());
            }
        }
        for (String query : List.of("u=javascript:alert(1)", "u=%0d%0a", "u=%", "u=%zz", "u=" + "a".repeat(3_000),
                "u=https://e.com/&u=https://e.com/", "u=%C3%A9", "u=%E2%80%AE", "u=https://e.com/%FF", "u=%00")) {
            check("GET", "/click/212313?" + query, List.of(), null, clientError());
        }
        for (String id : List.of("a".repeat(65), "a".repeat(3_000), "%00", "%0a", "%C3%A9", "..", "%2e%2e", "a%2Fb",
                "a%5Cb", "-a", "a%20b", "%7Bx%7D", "a:b", "%25", "%", "%zz", "%E2%80%AE", "%F0%9F%98%80")) {
            check("GET", "/event/" + id, List.of(), null, clientError());
            check("GET", "/pixel/" + id + ".gif", List.of(), null, clientError());
            check("GET", "/click/" + id + "?u=https://e.com/", List.of(), null, clientError());
            check("PUT", "/programs/" + id, List.of(KEY, JSON), PROGRAM.getBytes(StandardCharsets.UTF_8),
                    clientError());
            check("DELETE", "/programs/" + id, List.of(KEY), null, clientError());
        }
        assertThat(violations).isEmpty();
    }

    private void check(String method, String target, List<String> headers, byte[] body,
            Predicate<RawHttp.Response> expected) {
        RawHttp.Response response = raw.send(method, target, headers, body);
        String request = method + " " + RawHttp.abbreviate(target) + " " + headers.stream()
                .map(RawHttp::abbreviate).toList() + (body == null ? "" : " body " + RawHttp.abbreviate(
                        new String(body, StandardCharsets.UTF_8)));
        if (!expected.test(response)) {
            violations.add(request + " -> " + response);
        }
        else if (response.status() >= 400 && !response.body().isEmpty() && !response.isProblem()) {
            violations.add(request + " -> not problem details: " + response);
        }
    }

    /** Refused (401), or not routed to any handler (404, 405, 415, a rejected request line): never 2xx or 5xx. */
    private static Predicate<RawHttp.Response> unauthorisedOrRefused() {
        return response -> response.status() == 0 || response.status() >= 400 && response.status() < 500;
    }

    private static Predicate<RawHttp.Response> clientError() {
        return response -> response.status() >= 400 && response.status() < 500;
    }

    /** A probe: answered, with nothing but the status. */
    private static Predicate<RawHttp.Response> plainProbe() {
        return probeStatus().and(response -> response.body().matches("\\{\"status\":\"[A-Z_]+\"\\}"));
    }

    private static Predicate<RawHttp.Response> probeStatus() {
        return response -> response.status() == 200 || response.status() == 503;
    }

    private static List<String[]> malformedUpdateBodies() {
        String huge = "{\"programName\":\"" + "a".repeat(300_000) + "\",\"checksum\":\"c\",\"customerId\":1,"
                + "\"customerName\":\"c\",\"valid\":true}";
        return List.of(new String[] { "text/plain", PROGRAM }, new String[] { "application/xml", "<program/>" },
                new String[] { null, PROGRAM }, new String[] { "not/a/type;;", PROGRAM },
                new String[] { "application/json", "" }, new String[] { "application/json", "{" },
                new String[] { "application/json", PROGRAM.substring(0, 30) },
                new String[] { "application/json", "null" }, new String[] { "application/json", "[]" },
                new String[] { "application/json", "\"program\"" }, new String[] { "application/json", huge },
                new String[] { "application/json", "[".repeat(100_000) },
                new String[] { "application/json", PROGRAM.replace("\"customerId\":1", "\"customerId\":\"abc\"") },
                new String[] { "application/json", PROGRAM.replace("\"customerId\":1", "\"customerId\":1e400") },
                new String[] { "application/json", PROGRAM.replace("\"customerId\":1", "\"customerId\":9999999999") },
                new String[] { "application/json", PROGRAM.replace("\"valid\":true", "\"valid\":\"maybe\"") },
                new String[] { "application/json", PROGRAM.replace("\"programName\":\"n\"", "\"programName\":{}") },
                new String[] { "application/json", PROGRAM.replace("\"customerId\":1", "\"customerId\":-1") },
                new String[] { "application/json", "{\"programName\":\"\u0000\"" },
                new String[] { "application/json", PROGRAM.replace("\"valid\":true", "\"valid\":1") },
                new String[] { "application/json", PROGRAM.replace("\"customerId\":1", "\"customerId\":\"1\"") },
                new String[] { "application/json", PROGRAM.replace("\"customerId\":1", "\"customerId\":1.5") },
                new String[] { "application/json", PROGRAM + "{}" });
    }

    private static List<String[]> malformedSeedBodies() {
        String huge = "[" + (program(SEEDED) + ",").repeat(3_000) + program(SEEDED) + "]";
        return List.of(new String[] { "application/json", "[null]" }, new String[] { "application/json", "{}" },
                new String[] { "application/json", "[1]" }, new String[] { "application/json", "[{" },
                new String[] { "application/json", "[" + program("../x") + "]" },
                new String[] { "application/json", "[" + PROGRAM + "]" },
                new String[] { "application/json", "[" + program(SEEDED).replace("\"valid\":true", "\"valid\":7")
                        + "]" },
                new String[] { "application/json", huge }, new String[] { "text/plain", "[" + program(SEEDED) + "]" });
    }

    private static String program(String id) {
        return PROGRAM.replace("{", "{\"programId\":\"" + id + "\",");
    }

    private boolean markerExists() {
        return Boolean.TRUE.equals(redis.hasKey(keys.hash(MARKER)).block());
    }

    /**
     * Publishes an update with the key and waits for it on the (single-shard) update stream: every request above was
     * answered before, so whatever it had published is on the stream by then.
     */
    private void assertNoUpdatePublishedFor(String programId) {
        String end = "guard-end-" + System.nanoTime();
        var published = raw.send("PUT", "/programs/" + end, List.of(KEY, JSON), PROGRAM.getBytes(StandardCharsets.UTF_8));
        assertThat(published.status()).as("the end marker: %s", published).isEqualTo(202);
        List<String> ids = await().atMost(Duration.ofSeconds(30)).until(
                () -> recordsOn(UPDATES).stream().map(data -> ProgramUpdateCodec.decode(data).program().programId())
                        .collect(Collectors.toList()), updated -> updated.contains(end));
        assertThat(ids).as("updates published").doesNotContain(programId);
    }

    private static List<String> withCanonical(String path) {
        List<String> targets = new ArrayList<>(List.of(path));
        targets.addAll(PathVariants.of(path));
        return targets;
    }

    private static List<String> concat(List<String> headers, String header) {
        List<String> all = new ArrayList<>(headers);
        all.add(header);
        return all;
    }
}
