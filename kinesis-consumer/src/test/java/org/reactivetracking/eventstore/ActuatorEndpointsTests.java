package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What the consumer tells an operator over HTTP: every meter for Prometheus, and which build is running. */
class ActuatorEndpointsTests extends EngineBackedTests {

    private static final Pattern EVENTS_WRITTEN = Pattern.compile(
            "^eventstore_events_written_total\\{[^}]*service=\"kinesis-consumer\"[^}]*} (\\S+)$", Pattern.MULTILINE);

    @Autowired
    ApplicationContext context;

    WebTestClient http;

    @BeforeEach
    void bindToTheApplication() {
        // bound to the shared context: no server, and no second consumer of the stream
        http = WebTestClient.bindToApplicationContext(context).configureClient()
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void servesTheDomainMetersToPrometheus() {
        TrackingEvent event = event("p-prometheus");
        put(TrackingEventCodec.encode(event));
        awaitItem(event.messageId());

        String scrape = http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(eventsWritten(scrape)).as("eventstore_events_written_total in:\n%s", scrape)
                .hasValueSatisfying(written -> assertThat(written).isGreaterThanOrEqualTo(1.0));
        assertThat(scrape).contains("# TYPE eventstore_write_latency_seconds");
    }

    @Test
    void showsTheBuildInInfo() {
        http.get().uri("/actuator/info").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.build.artifact").isEqualTo("kinesis-consumer")
                .jsonPath("$.build.version").isEqualTo(System.getProperty("project.version"));
    }

    private static Optional<Double> eventsWritten(String scrape) {
        Matcher matcher = EVENTS_WRITTEN.matcher(scrape);
        return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1))) : Optional.empty();
    }
}
