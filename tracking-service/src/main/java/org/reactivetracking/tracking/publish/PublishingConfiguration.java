package org.reactivetracking.tracking.publish;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.micrometer.core.instrument.MeterRegistry;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The Kinesis client and one batching publisher per stream. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KinesisClientProperties.class)
class PublishingConfiguration {

    @Bean(destroyMethod = "close")
    KinesisAsyncClient kinesisAsyncClient(AwsClientBuilderConfigurer configurer, KinesisClientProperties properties,
            TrackingProperties tracking) {
        // The publisher retries itself, entry by entry, within its deadline: the SDK makes one attempt per call.
        return configurer.configure(KinesisAsyncClient.builder(), properties, null)
                .overrideConfiguration(config -> config.apiCallTimeout(tracking.publisher().timeout())
                        .retryStrategy(retry -> retry.maxAttempts(1)))
                .build();
    }

    @Bean
    @Qualifier("events")
    KinesisBatchPublisher eventPublisher(KinesisAsyncClient kinesis, TrackingProperties tracking,
            MeterRegistry meters) {
        return new KinesisBatchPublisher(kinesis, tracking.streams().events(), tracking.publisher(),
                tracking.aggregation(), meters);
    }

    @Bean
    @Qualifier("updates")
    KinesisBatchPublisher updatePublisher(KinesisAsyncClient kinesis, TrackingProperties tracking,
            MeterRegistry meters) {
        // redis-updater reads one update per record
        return new KinesisBatchPublisher(kinesis, tracking.streams().updates(), tracking.publisher(),
                TrackingProperties.Aggregation.off(), meters);
    }

    @Bean
    EventStreamHealthIndicator eventStreamHealthIndicator(KinesisAsyncClient kinesis,
            @Qualifier("events") KinesisBatchPublisher events) {
        return new EventStreamHealthIndicator(kinesis, events);
    }
}
