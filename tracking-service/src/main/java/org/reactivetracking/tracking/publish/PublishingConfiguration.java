package org.reactivetracking.tracking.publish;

import io.awspring.cloud.autoconfigure.core.AwsClientBuilderConfigurer;
import io.micrometer.core.instrument.MeterRegistry;
import org.reactivetracking.tracking.TrackingProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The Kinesis client and one batching publisher per stream. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KinesisClientProperties.class)
class PublishingConfiguration {

    @Bean(destroyMethod = "close")
    KinesisAsyncClient kinesisAsyncClient(AwsClientBuilderConfigurer configurer, KinesisClientProperties properties,
            TrackingProperties tracking) {
        // The publisher retries itself, entry by entry, within its deadline: the SDK makes one attempt per call.
        // Each PutRecords call carries its own, shorter timeout (the time left to its records' deadline); the
        // client's own bounds the other calls.
        // HTTP/1.1 on a pool of keep-alive connections, one per call in flight of both publishers: the SDK's
        // default for Kinesis is HTTP/2, which only enhanced fan-out (a consumer's SubscribeToShard) needs.
        int calls = tracking.publisher().maxInFlightBatches()
                + Math.max(tracking.publisher().maxInFlightBatches(), tracking.aggregation().maxInFlightBatches());
        return configurer.configure(KinesisAsyncClient.builder(), properties, null)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)
                        .maxConcurrency(calls + 2))
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
}
