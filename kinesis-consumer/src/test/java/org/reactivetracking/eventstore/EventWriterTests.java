package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.TrackingEvent;

/** The writer against dynalite itself, with no check in front of it: DynamoDB's own refusals. */
class EventWriterTests extends EngineBackedTests {

    @Test
    void findsTheItemsDynamoDbRefusesInsideARequestAndStoresTheRest() {
        List<EventItem> items = new ArrayList<>(IntStream.range(0, 48).mapToObj(i -> eventItem(UUID.randomUUID()
                .toString())).toList());
        EventItem keyTooLong = eventItem("k".repeat(2049));
        EventItem alsoTooLong = eventItem("q".repeat(3000));
        items.add(7, keyTooLong);
        items.add(30, alsoTooLong);

        List<EventWriter.Refusal<EventItem>> refused = writer.writeEvents(items);

        assertThat(refused).extracting(EventWriter.Refusal::item).containsExactlyInAnyOrder(keyTooLong, alsoTooLong);
        assertThat(refused).allSatisfy(refusal -> assertThat(refusal.reason()).startsWith("ValidationException:"));
        assertThat(items).filteredOn(item -> item != keyTooLong && item != alsoTooLong)
                .allSatisfy(item -> assertThat(item(item.getMessageId())).as(item.getMessageId()).isNotNull())
                .hasSize(48);
    }

    @Test
    void storesAnEventSentTwiceInOneRequestOnceAsItsLaterRecord() {
        String messageId = UUID.randomUUID().toString();
        List<EventItem> items = new ArrayList<>(IntStream.range(0, 10).mapToObj(i -> eventItem(UUID.randomUUID()
                .toString())).toList());
        items.add(2, eventItem(messageId, "first try"));
        items.add(8, eventItem(messageId, "retry"));

        List<EventWriter.Refusal<EventItem>> refused = writer.writeEvents(items);

        assertThat(refused).isEmpty();
        assertThat(item(messageId).getUserAgent()).isEqualTo("retry");
        assertThat(items).allSatisfy(item -> assertThat(item(item.getMessageId())).isNotNull());
    }

    @Test
    void keepsOneItemPerMessageIdTheLaterInStreamOrder() {
        EventItem a = eventItem("a", "first try");
        EventItem b = eventItem("b");
        EventItem aAgain = eventItem("a", "retry");
        EventItem c = eventItem("c");

        assertThat(EventWriter.lastPerMessageId(List.of(a, b, aAgain, c))).containsExactly(b, aAgain, c);
        assertThat(EventWriter.lastPerMessageId(List.of(a, b, c))).containsExactly(a, b, c);
    }

    @Test
    void storesADeadLetterOfTheLargestRecordKinesisCarries() {
        DeadLetterItem deadLetter = DeadLetterItem.of(STREAM, SHARD, "1".repeat(56), 175_000L,
                new byte[1024 * 1024], "e".repeat(5000), java.time.Duration.ofDays(1));

        writer.writeDeadLetters(List.of(deadLetter));

        DeadLetterItem stored = awaitDeadLetter(deadLetter.getId());
        assertThat(stored.getDataLength()).isEqualTo(1024 * 1024);
        assertThat(stored.getData().asByteArray()).hasSize(DeadLetterItem.MAX_DATA_BYTES);
        assertThat(stored.getError()).hasSize(DeadLetterItem.MAX_ERROR_LENGTH + 3).endsWith("...");
    }

    private static EventItem eventItem(String messageId) {
        return eventItem(messageId, "ua");
    }

    private static EventItem eventItem(String messageId, String userAgent) {
        return EventItem.of(new TrackingEvent(messageId, new Program("writer-test", "n", "c", 1, "c", true),
                userAgent, java.time.Instant.now(), ""), System.currentTimeMillis(), SHARD, "1", null);
    }
}
