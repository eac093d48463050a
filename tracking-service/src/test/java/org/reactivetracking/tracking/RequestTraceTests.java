package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.TrackingEvent;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Reactor copies no context into thread-locals here (context propagation {@code limited}): the event still carries
 * the trace of the request that tracked it, sampled or not, so the consumer's span joins that trace.
 */
class RequestTraceTests extends EngineBackedTests {

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void seed() {
        seedSamplePrograms();
    }

    @Test
    void anEventCarriesTheTraceOfItsSampledRequest() {
        String root = newRoot();

        TrackingEvent event = track(root, "53995c3f42cd8ad8", 1);

        assertThat(event.traceHeader()).startsWith("Root=" + root + ";Parent=").endsWith(";Sampled=1")
                // the parent is the server's span for this request, not the load balancer's
                .doesNotContain("53995c3f42cd8ad8");
    }

    @Test
    void anEventCarriesTheTraceOfItsUnsampledRequestAsUnsampled() {
        String root = newRoot();

        TrackingEvent event = track(root, "53995c3f42cd8ad9", 0);

        assertThat(event.traceHeader()).startsWith("Root=" + root + ";Parent=").endsWith(";Sampled=0");
    }

    @Test
    void anEventCarriesTheTraceOfAW3cTraceContextAsAnXRayHeader() {
        String traceId = UUID.randomUUID().toString().replace("-", "");

        JsonNode body = http.get().uri("/event/212313").header("traceparent", "00-" + traceId + "-53995c3f42cd8adc-01")
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(body.get("traceHeader").stringValue())
                .startsWith("Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8) + ";Parent=")
                .endsWith(";Sampled=1").doesNotContain("53995c3f42cd8adc");
    }

    @Test
    void everyPublishIsTimedSampledOrNot() {
        double before = publishes();

        track(newRoot(), "53995c3f42cd8ada", 0);
        track(newRoot(), "53995c3f42cd8adb", 1);

        assertThat(publishes()).isEqualTo(before + 2);
    }

    private double publishes() {
        var timer = meters.find("tracking.publish").tag("stream", "events").tag("error", "none").timer();
        return timer == null ? 0 : timer.count();
    }

    /** Tracks an event under an ALB trace header; the event as the stream holds it, checked against the answer. */
    private TrackingEvent track(String root, String parent, int sampled) {
        JsonNode body = http.get().uri("/event/212313")
                .header("X-Amzn-Trace-Id", "Root=" + root + ";Parent=" + parent + ";Sampled=" + sampled).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        String messageId = body.get("messageId").stringValue();
        TrackingEvent onStream = eventsOnStream().stream().filter(event -> event.messageId().equals(messageId))
                .findFirst().orElseThrow(() -> new AssertionError("event " + messageId + " not on the stream"));
        assertThat(body.get("traceHeader").stringValue()).isEqualTo(onStream.traceHeader());
        return onStream;
    }

    private static String newRoot() {
        return "1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
