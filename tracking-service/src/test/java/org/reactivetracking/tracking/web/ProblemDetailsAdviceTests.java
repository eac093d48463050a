package org.reactivetracking.tracking.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reactivetracking.tracking.publish.PublishRejectedException;
import org.reactivetracking.tracking.publish.PublishRejectedException.Outcome;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** What a client is told when its event was not confirmed: what to do, and nothing of the cause. */
class ProblemDetailsAdviceTests {

    private static final String INTERNAL = "record k on tracking-events UNKNOWN after 1 calls: timeout (Rate exceeded"
            + " for shard shardId-000000000001 in stream tracking-events under account 123456789012.)";

    private final ProblemDetailsAdvice advice = new ProblemDetailsAdvice();

    @Test
    void tellsTheClientTheEventWasNotRecordedAndWhenToRetry() {
        ResponseEntity<ProblemDetail> response = advice.notPublished(
                new PublishRejectedException(Outcome.NOT_RECORDED, INTERNAL, Duration.ofSeconds(2)));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(response.getBody().getTitle()).isEqualTo("Event not accepted");
        assertThat(response.getBody().getDetail()).isEqualTo("The event was not recorded. Retry after 2 s.");
        assertThat(response.getBody().getProperties()).containsEntry("recorded", "no");
    }

    @Test
    void tellsTheClientTheEventMayHaveBeenRecordedWithoutTheCause() {
        ResponseEntity<ProblemDetail> response = advice.notPublished(
                new PublishRejectedException(Outcome.UNKNOWN, INTERNAL, Duration.ofMillis(500)));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(response.getBody().getDetail()).startsWith("The event may not have been recorded. Retry after 1 s;")
                .doesNotContain("account", "shard", "tracking-events", "timeout");
        assertThat(response.getBody().getProperties()).containsEntry("recorded", "unknown");
    }

    @Test
    void tellsTheClientThatRetryingAnOversizeEventCannotHelp() {
        ResponseEntity<ProblemDetail> response = advice.notPublished(
                new PublishRejectedException(Outcome.NOT_RECORDED, "a record of 1048577 bytes ...", null));

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(response.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(response.getBody().getDetail()).doesNotContain("1048577");
    }
}
