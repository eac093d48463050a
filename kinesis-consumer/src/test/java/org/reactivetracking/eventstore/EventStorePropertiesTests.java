package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reactivetracking.kinesis.KinesisConsumerProperties;
import org.reactivetracking.kinesis.ProcessEnvironment;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The consumer's settings as a container gets them (environment variables): the defaults bind, and a value that
 * breaks a rule fails the start with the setting's name and the value.
 */
class EventStorePropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ EventStoreProperties.class, KinesisConsumerProperties.class })
    static class Settings {
    }

    @Test
    void bindsTheDefaults() {
        runWith(Map.of()).run(context -> {
            EventStoreProperties store = context.getBean(EventStoreProperties.class);
            assertThat(store.eventsTable()).isEqualTo("tracking-events");
            assertThat(store.writeConcurrency()).isEqualTo(8);
            assertThat(store.eventRetention()).isNull();
            assertThat(store.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(5));
            assertThat(context.getBean(KinesisConsumerProperties.class).failover()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void refusesEachBrokenSettingByName() {
        Map<String, String> refusals = Map.of(
                "EVENTSTORE_EVENTS_TABLE", "eventstore.events-table must not be blank, was ' '",
                "EVENTSTORE_WRITE_CONCURRENCY", "eventstore.write-concurrency must be 1 to 64, was 0",
                "EVENTSTORE_MAX_EVENTS_PER_CYCLE", "eventstore.max-events-per-cycle must be 1 to 100000, was 0",
                "EVENTSTORE_EVENT_RETENTION", "eventstore.event-retention must be a duration longer than zero, was PT0S",
                "EVENTSTORE_RETRY_MAX_BACKOFF", "eventstore.retry.max-backoff must be a duration longer than zero",
                "KINESIS_CONSUMER_FAILOVER", "kinesis.consumer.failover must be a duration longer than zero");
        Map<String, String> values = Map.of("EVENTSTORE_EVENTS_TABLE", " ", "EVENTSTORE_WRITE_CONCURRENCY", "0",
                "EVENTSTORE_MAX_EVENTS_PER_CYCLE", "0", "EVENTSTORE_EVENT_RETENTION", "0s",
                "EVENTSTORE_RETRY_MAX_BACKOFF", "0ms", "KINESIS_CONSUMER_FAILOVER", "-1s");
        refusals.forEach((variable, message) -> runWith(Map.of(variable, values.get(variable))).run(context -> {
            assertThat(context).as(variable).hasFailed();
            assertThat(context.getStartupFailure()).as(variable).hasStackTraceContaining(message);
        }));
    }

    @Test
    void refusesTooManyWritesInFlight() {
        runWith(Map.of("EVENTSTORE_WRITE_CONCURRENCY", "65")).run(context -> assertThat(context.getStartupFailure())
                .hasStackTraceContaining("eventstore.write-concurrency must be 1 to 64, was 65"));
    }

    /** {@code env} as the whole process environment. */
    private static ApplicationContextRunner runWith(Map<String, String> env) {
        return new ApplicationContextRunner().withUserConfiguration(Settings.class)
                .withInitializer(ProcessEnvironment.only(env));
    }
}
