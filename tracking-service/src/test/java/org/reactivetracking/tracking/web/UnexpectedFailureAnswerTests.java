package org.reactivetracking.tracking.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Failures nobody planned for: problem details, and never the internal text of the failure in the body. */
@WebFluxTest(controllers = UnexpectedFailureAnswerTests.Failing.class, properties = "tracking.admin.api-key=unused",
        excludeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = ApiKeyGuard.class))
@Import(UnexpectedFailureAnswerTests.Failing.class)
class UnexpectedFailureAnswerTests {

    private static final String INTERNAL = "arn:aws:kinesis:us-east-1:123456789012:stream/tracking-events";

    @Autowired
    WebTestClient http;

    @Test
    void answersAnUnexpectedFailureWith500ProblemDetailsWithoutItsText() {
        String body = http.get().uri("/fails").exchange().expectStatus().isEqualTo(500)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("\"status\":500").doesNotContain(INTERNAL).doesNotContain("IllegalStateException");
    }

    @Test
    void answersARedisFailureWith503AndRetryAfterWithoutItsText() {
        String body = http.get().uri("/redis-fails").exchange().expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).contains("Program store unavailable").doesNotContain("10.0.3.17");
    }

    @RestController
    static class Failing {

        @GetMapping("/fails")
        Mono<String> fails() {
            return Mono.error(new IllegalStateException("cannot reach " + INTERNAL));
        }

        @GetMapping("/redis-fails")
        Mono<String> redisFails() {
            return Mono.error(new RedisConnectionFailureException("Unable to connect to 10.0.3.17:6379"));
        }
    }
}
