package org.reactivetracking.kinesis;

import io.awspring.cloud.autoconfigure.AwsClientCustomizer;
import io.awspring.cloud.kinesis.integration.KclMessageDrivenChannelAdapter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.config.ConsumerEndpointCustomizer;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.kinesis.leases.LeaseAssignmentStrategy;
import software.amazon.kinesis.leases.LeaseManagementConfig.GracefulLeaseHandoffConfig;

/**
 * The Kinesis Client Library as every stream consumer of this project runs it (the binder's KCL mode): the settings of
 * {@link KinesisConsumerProperties}, the worker's id and lease tables ({@link KclWorker}).
 */
@AutoConfiguration
@ConditionalOnClass(KclMessageDrivenChannelAdapter.class)
@EnableConfigurationProperties(KinesisConsumerProperties.class)
public class KclConsumerAutoConfiguration {

    /**
     * The binder's CloudWatch client (the KCL's metrics) fails to build without a customizer bean: its configuration
     * passes a null one otherwise (awspring/spring-cloud-aws#1651, open for 4.0.x and 4.1.0).
     */
    @Bean
    AwsClientCustomizer<CloudWatchAsyncClientBuilder> kclCloudWatchClientCustomizer() {
        return builder -> {
        };
    }

    @Bean
    KclWorker kclWorker(KinesisConsumerProperties properties, DynamoDbClient dynamo) {
        return new KclWorker(properties, dynamo);
    }

    /** Applies the settings to every KCL consumer binding, before it starts. */
    @Bean
    ConsumerEndpointCustomizer<KclMessageDrivenChannelAdapter> kclSettings(KinesisConsumerProperties properties,
            KclWorker worker) {
        return (adapter, destination, group) -> {
            String table = properties.leaseTable() == null || properties.leaseTable().isBlank() ? group
                    : properties.leaseTable();
            LeaseTable leases = worker.leaseTable(table);
            if (properties.createLeaseTable()) {
                leases.createIfMissing();
            }
            else {
                leases.requireLeaseTable();
            }
            adapter.setLeaseTableName(table);
            adapter.setWorkerId(worker.id());
            adapter.setLeaseManagementConfigCustomizer(config -> {
                config.failoverTimeMillis(properties.failover().toMillis())
                        .leaseAssignmentIntervalMillis(properties.leaseAssignment().toMillis())
                        // the worker that creates a new table's leases otherwise sleeps 60 s before it reads
                        .shardSyncIntervalMillis(1_000)
                        .leaseAssignmentStrategy(LeaseAssignmentStrategy.LEASE_COUNT_BASED)
                        .dynamoDbLockBasedLeaderLeaseDurationInMillis(properties.leaderLease().toMillis())
                        .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(properties.leaderHeartbeat().toMillis())
                        // a lease moved to balance the load changes owner at once; the graceful hand-over (the old
                        // owner checkpoints, then the new one starts) made the leader count a lease on both sides
                        // and move leases back and forth for tens of seconds; the listeners checkpoint after every
                        // batch, so the new owner reads at most one batch again
                        .gracefulLeaseHandoffConfig(GracefulLeaseHandoffConfig.builder()
                                .isGracefulLeaseHandoffEnabled(false).build());
                config.workerUtilizationAwareAssignmentConfig()
                        // no EC2 metadata probe at start; leases are balanced by count, not by load
                        .disableWorkerMetrics(true)
                        .workerMetricsReporterFreqInMillis(properties.workerMetricsInterval().toMillis())
                        .varianceBalancingFrequency(1);
            });
            adapter.setCoordinatorConfigCustomizer(config -> config
                    .parentShardPollIntervalMillis(properties.parentShardPoll().toMillis()));
        };
    }
}
