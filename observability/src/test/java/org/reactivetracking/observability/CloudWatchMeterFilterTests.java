package org.reactivetracking.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CloudWatchMeterFilterTests {

    @Test
    void exportsOperatorMetersAndDropsTheRest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new CloudWatchMeterFilter());

        registry.counter("tracking.publisher.records", "outcome", "accepted").increment();
        registry.counter("eventstore.dead.letters").increment();
        registry.timer("http.server.requests", "uri", "/event/{programId}");
        registry.gauge("jvm.memory.used", 1.0);
        registry.counter("jvm.classes.loaded").increment();
        registry.counter("logback.events").increment();
        registry.counter("http.server.requests.active").increment();

        assertThat(registry.getMeters()).extracting(meter -> meter.getId().getName()).containsExactlyInAnyOrder(
                "tracking.publisher.records", "eventstore.dead.letters", "http.server.requests", "jvm.memory.used");
    }
}
