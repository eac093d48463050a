package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;
import org.reactivetracking.engines.LocalEngines;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;

/**
 * The tables the consumer creates for local runs, on the DynamoDB engine the tests run (dynalite, which does not know
 * {@code UpdateTimeToLive}) and, through a client that answers that one call as AWS does, on an engine that knows it.
 */
class EventTablesTests {

    private final DynamoDbClient dynalite = LocalEngines.shared().dynamoDbClient();
    private final String prefix = "tables-" + UUID.randomUUID().toString().substring(0, 8);
    private final EventStoreProperties properties = new EventStoreProperties(prefix + "-events",
            prefix + "-dead-letters", true, 1, 100, Duration.ofDays(14), null,
            new EventStoreProperties.Retry(Duration.ofMillis(50), Duration.ofSeconds(1)));
    private final Logger logger = (Logger) LoggerFactory.getLogger(EventTables.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final List<EventWriter> writers = new ArrayList<>();

    @BeforeEach
    void captureLogs() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() throws Exception {
        logger.detachAppender(logged);
        for (EventWriter writer : writers) {
            writer.destroy();
        }
    }

    @Test
    void onAnEngineWithoutTimeToLiveCreatesBothTablesAndSaysTheDeadLettersDoNotExpire() {
        new EventTables(writer(dynalite), dynalite, properties);

        assertThat(dynalite.describeTable(request -> request.tableName(properties.eventsTable())).table())
                .satisfies(table -> assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE))
                .satisfies(table -> assertThat(table.globalSecondaryIndexes()).extracting(index -> index.indexName())
                        .containsExactly(EventItem.BY_PROGRAM_INDEX));
        assertThat(dynalite.describeTable(request -> request.tableName(properties.deadLetterTable())).table()
                .tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(dynalite.describeTimeToLive(request -> request.tableName(properties.deadLetterTable()))
                .timeToLiveDescription().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .contains(properties.deadLetterTable()).contains("without a time to live on expiresAt")
                .contains("UpdateTimeToLive");
    }

    @Test
    void onAnEngineWithTimeToLiveExpiresDeadLettersOnExpiresAt() {
        DynamoDbClient withTimeToLive = spy(dynalite);
        doReturn(UpdateTimeToLiveResponse.builder().build()).when(withTimeToLive)
                .updateTimeToLive(any(UpdateTimeToLiveRequest.class));

        new EventTables(writer(withTimeToLive), withTimeToLive, properties);

        ArgumentCaptor<UpdateTimeToLiveRequest> request = ArgumentCaptor.forClass(UpdateTimeToLiveRequest.class);
        Mockito.verify(withTimeToLive).updateTimeToLive(request.capture());
        assertThat(request.getValue().tableName()).isEqualTo(properties.deadLetterTable());
        assertThat(request.getValue().timeToLiveSpecification().attributeName()).isEqualTo("expiresAt");
        assertThat(request.getValue().timeToLiveSpecification().enabled()).isTrue();
        assertThat(logged.list).noneMatch(event -> event.getLevel() == Level.WARN);
    }

    @Test
    void anyOtherRefusalOfTheTimeToLiveFailsTheStart() {
        DynamoDbClient refusing = spy(dynalite);
        doThrow(DynamoDbException.builder().message("not allowed").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                        .errorMessage("not allowed").build())
                .build()).when(refusing).updateTimeToLive(any(UpdateTimeToLiveRequest.class));

        assertThatThrownBy(() -> new EventTables(writer(refusing), refusing, properties))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("not allowed");
    }

    private EventWriter writer(DynamoDbClient client) {
        EventWriter writer = new EventWriter(DynamoDbEnhancedClient.builder().dynamoDbClient(client).build(),
                properties, new SimpleMeterRegistry());
        writers.add(writer);
        return writer;
    }
}
