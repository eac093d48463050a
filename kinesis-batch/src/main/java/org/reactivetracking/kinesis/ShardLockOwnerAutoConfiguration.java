package org.reactivetracking.kinesis;

import io.awspring.cloud.dynamodb.DynamoDbLockRepository;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.cloud.stream.binder.DefaultBinderFactory;
import org.springframework.context.annotation.Bean;

/** Registers {@link ShardLockOwner} in every service that reads Kinesis through the binder. */
@AutoConfiguration
@ConditionalOnClass({ DynamoDbLockRepository.class, DefaultBinderFactory.class, InfoContributor.class })
public class ShardLockOwnerAutoConfiguration {

    @Bean
    ShardLockOwner shardLockOwner() {
        return new ShardLockOwner();
    }
}
