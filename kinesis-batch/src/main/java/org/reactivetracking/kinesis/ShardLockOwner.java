package org.reactivetracking.kinesis;

import io.awspring.cloud.dynamodb.DynamoDbLockRepository;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.cloud.stream.binder.DefaultBinderFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tells which shard locks are this instance's. The Kinesis binder's DynamoDB lock repository lives in the binder's
 * own application context and writes a random owner id, made at start, into every lock row it holds
 * ({@code lockOwner}). This reads it once the binder's context is up, before any binding starts, logs it and shows it
 * on {@code /actuator/info} ({@code shardLocks}), so the rows of the lock table can be matched to instances.
 */
final class ShardLockOwner implements DefaultBinderFactory.Listener, InfoContributor {

    private static final Logger log = LoggerFactory.getLogger(ShardLockOwner.class);

    private volatile Map<String, String> locks = Map.of();

    @Override
    public void afterBinderContextInitialized(String configurationName, ConfigurableApplicationContext binderContext) {
        binderContext.getBeanProvider(DynamoDbLockRepository.class).ifAvailable(repository -> {
            locks = Map.of("table", repository.getTableName(), "owner", repository.getOwner());
            log.info("This instance holds its shard locks in table {} as owner {}", repository.getTableName(),
                    repository.getOwner());
        });
    }

    @Override
    public void contribute(Info.Builder builder) {
        if (!locks.isEmpty()) {
            builder.withDetail("shardLocks", locks);
        }
    }
}
