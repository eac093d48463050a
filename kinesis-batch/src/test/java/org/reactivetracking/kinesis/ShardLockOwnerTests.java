package org.reactivetracking.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.awspring.cloud.dynamodb.DynamoDbLockRepository;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.info.Info;
import org.springframework.context.support.GenericApplicationContext;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

class ShardLockOwnerTests {

    @Test
    void showsTheOwnerTheBinderHoldsItsShardLocksAs() {
        ShardLockOwner owner = new ShardLockOwner();
        try (DynamoDbAsyncClient client = DynamoDbAsyncClient.builder().region(Region.US_EAST_1).build();
                GenericApplicationContext binderContext = new GenericApplicationContext()) {
            DynamoDbLockRepository repository = new DynamoDbLockRepository(client, "event-store-locks");
            // as an instance, not a definition: no initialisation, which would look for the table on AWS
            binderContext.getBeanFactory().registerSingleton("lockRepository", repository);
            binderContext.refresh();

            owner.afterBinderContextInitialized("kinesis", binderContext);

            Info.Builder info = new Info.Builder();
            owner.contribute(info);
            assertThat(info.build().getDetails()).containsEntry("shardLocks",
                    Map.of("table", "event-store-locks", "owner", repository.getOwner()));
        }
    }

    @Test
    void showsNothingWhereTheBinderHoldsNoLocks() {
        ShardLockOwner owner = new ShardLockOwner();
        try (GenericApplicationContext binderContext = new GenericApplicationContext()) {
            binderContext.refresh();

            owner.afterBinderContextInitialized("kinesis", binderContext);

            Info.Builder info = new Info.Builder();
            owner.contribute(info);
            assertThat(info.build().getDetails()).isEmpty();
        }
    }
}
