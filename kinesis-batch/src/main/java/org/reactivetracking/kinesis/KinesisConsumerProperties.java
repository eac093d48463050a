package org.reactivetracking.kinesis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a stream consumer takes part in the Kinesis Client Library's lease coordination, under
 * {@code kinesis.consumer.*} (environment: {@code KINESIS_CONSUMER_*}). Every value here differs from the KCL's own
 * default for a reason given in docs/scaling.md.
 *
 * @param workerId              this instance's name in the lease table ({@code leaseOwner}); unset, the host name and
 *                              a random suffix, new at every start
 * @param leaseTable            the KCL's lease table (one per consumer application: its leases, checkpoints, leader
 *                              lock and workers); unset, the binding's group
 * @param createLeaseTable      create the lease table (with the KCL's owner index) before the KCL starts, when it is
 *                              missing: local runs; on AWS the stack creates it
 * @param failover              how long a lease lives without renewal (the KCL renews each every third of it): how
 *                              soon the shards of a killed instance are taken over
 * @param leaseAssignment       how often the leader assigns unowned and expired leases and balances them
 * @param workerMetricsInterval how often each worker reports itself to the leader; a worker silent for twice this is
 *                              left out of assignment
 * @param leaderLease           how long the leader's lock lives without a heartbeat: how soon a killed leader is
 *                              replaced
 * @param leaderHeartbeat       how often the leader renews its lock, and the others look for a free one
 * @param parentShardPoll       how often a child shard's reader checks whether its parents are read to their end
 */
@ConfigurationProperties("kinesis.consumer")
public record KinesisConsumerProperties(String workerId, String leaseTable,
        @DefaultValue("false") boolean createLeaseTable,
        @DefaultValue("10s") Duration failover, @DefaultValue("2s") Duration leaseAssignment,
        @DefaultValue("3s") Duration workerMetricsInterval, @DefaultValue("6s") Duration leaderLease,
        @DefaultValue("2s") Duration leaderHeartbeat, @DefaultValue("1s") Duration parentShardPoll) {

    public KinesisConsumerProperties {
        Settings.positive(failover, "kinesis.consumer.failover");
        Settings.positive(leaseAssignment, "kinesis.consumer.lease-assignment");
        Settings.positive(workerMetricsInterval, "kinesis.consumer.worker-metrics-interval");
        Settings.positive(leaderLease, "kinesis.consumer.leader-lease");
        Settings.positive(leaderHeartbeat, "kinesis.consumer.leader-heartbeat");
        Settings.positive(parentShardPoll, "kinesis.consumer.parent-shard-poll");
    }
}
