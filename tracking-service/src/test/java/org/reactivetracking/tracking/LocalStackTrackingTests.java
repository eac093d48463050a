package org.reactivetracking.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.TrackingEventCodec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import tools.jackson.databind.JsonNode;

/**
 * The tracking path on LocalStack and a Redis container, where a Docker engine exists (skipped where none does; the
 * engine-backed tests cover the same path without Docker). The pinned image, 4.10, starts without a token (images up
 * to 4.14 do, but no longer get fixes; newer ones need {@code LOCALSTACK_AUTH_TOKEN}, passed through when set).
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class LocalStackTrackingTests {

    @Container
    static final LocalStackContainer localstack = new LocalStackContainer("localstack/localstack:4.10")
            .withServices("kinesis")
            .withEnv("LOCALSTACK_AUTH_TOKEN", Objects.requireNonNullElse(System.getenv("LOCALSTACK_AUTH_TOKEN"), ""));

    @Container
    static final GenericContainer<?> redis = new GenericContainer<>("redis:7.4-alpine").withExposedPorts(6379);

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void containerProperties(DynamicPropertyRegistry registry) {
        kinesis().createStream(request -> request.streamName("tracking-events").shardCount(1));
        kinesis().waiter().waitUntilStreamExists(request -> request.streamName("tracking-events"));
        registry.add("spring.data.redis.host", redis::getHost);
        registry.add("spring.data.redis.port", () -> redis.getMappedPort(6379));
        registry.add("spring.cloud.aws.kinesis.endpoint", () -> localstack.getEndpoint().toString());
        registry.add("spring.cloud.aws.region.static", localstack::getRegion);
        registry.add("spring.cloud.aws.credentials.access-key", localstack::getAccessKey);
        registry.add("spring.cloud.aws.credentials.secret-key", localstack::getSecretKey);
        registry.add("tracking.admin.api-key", () -> "localstack-key");
    }

    @Test
    void publishesTheTrackedEventToLocalStackKinesis() {
        http.post().uri("/cache/fill").header("X-Api-Key", "localstack-key").exchange().expectStatus().isOk();

        JsonNode body = http.get().uri("/event/212313").exchange().expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();

        String iterator = kinesis().getShardIterator(request -> request.streamName("tracking-events")
                .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<String> messageIds = new ArrayList<>();
        kinesis().getRecords(request -> request.shardIterator(iterator)).records().forEach(record -> messageIds
                .add(TrackingEventCodec.decode(record.data().asByteArray()).messageId()));
        assertThat(messageIds).contains(body.get("messageId").stringValue());
    }

    private static KinesisClient kinesis() {
        return KinesisClient.builder().endpointOverride(localstack.getEndpoint())
                .region(Region.of(localstack.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey())))
                .build();
    }
}
