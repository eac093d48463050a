package org.reactivetracking.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The consumer's own checks of DynamoDB's limits, without any engine: dynalite accepts an index key attribute over
 * 2,048 bytes that DynamoDB refuses, so the check must catch it before the write wherever the events run.
 */
class ItemLimitsTests {

    private static final List<String> PARTITION_KEYS = List.of("messageId", "programId");

    @Test
    void refusesAnIndexPartitionKeyPastTwoKibibytes() {
        Map<String, AttributeValue> item = Map.of("messageId", AttributeValue.fromS("m"),
                "programId", AttributeValue.fromS("p".repeat(2049)));

        assertThat(ItemLimits.violation(item, PARTITION_KEYS))
                .isEqualTo("key attribute programId of 2049 bytes; DynamoDB takes 1 to 2048 bytes");
    }

    @Test
    void countsKeyBytesInUtf8NotCharacters() {
        // 683 three-byte characters: 2,049 bytes in 683 characters
        Map<String, AttributeValue> item = Map.of("messageId", AttributeValue.fromS("\u20ac".repeat(683)));

        assertThat(ItemLimits.violation(item, PARTITION_KEYS)).startsWith("key attribute messageId of 2049 bytes");
        assertThat(ItemLimits.violation(Map.of("messageId", AttributeValue.fromS("\u20ac".repeat(682))),
                PARTITION_KEYS)).isNull();
    }

    @Test
    void refusesAnEmptyKeyAndTakesOneAtTheLimit() {
        assertThat(ItemLimits.violation(Map.of("messageId", AttributeValue.fromS("")), PARTITION_KEYS))
                .startsWith("key attribute messageId of 0 bytes");
        assertThat(ItemLimits.violation(Map.of("messageId", AttributeValue.fromS("m"),
                "programId", AttributeValue.fromS("p".repeat(2048))), PARTITION_KEYS)).isNull();
    }

    @Test
    void refusesAnItemOneBytePastFourHundredKibibytes() {
        // "messageId" (9) + "m" (1) + "data" (4) + the value
        String atLimit = "d".repeat(ItemLimits.MAX_ITEM_BYTES - 14);
        Map<String, AttributeValue> fits = Map.of("messageId", AttributeValue.fromS("m"),
                "data", AttributeValue.fromS(atLimit));
        Map<String, AttributeValue> past = Map.of("messageId", AttributeValue.fromS("m"),
                "data", AttributeValue.fromS(atLimit + "d"));

        assertThat(ItemLimits.size(fits)).isEqualTo(ItemLimits.MAX_ITEM_BYTES);
        assertThat(ItemLimits.violation(fits, PARTITION_KEYS)).isNull();
        assertThat(ItemLimits.violation(past, PARTITION_KEYS))
                .isEqualTo("item of 409601 bytes; DynamoDB takes items of at most 409600 bytes");
    }
}
