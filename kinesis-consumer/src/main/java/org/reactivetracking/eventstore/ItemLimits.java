package org.reactivetracking.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's limits on one item, checked before writing so an item that can never be stored is a dead letter at
 * once instead of a failed request: an item is at most 400 KB (attribute names and values, by DynamoDB's size rules),
 * and a partition key of the table or of an index is a non-empty value of at most 2,048 bytes. DynamoDB's own answer
 * stays the last word: an item refused anyway is found and dead-lettered by the writer.
 */
final class ItemLimits {

    static final int MAX_ITEM_BYTES = 400 * 1024;
    static final int MAX_PARTITION_KEY_BYTES = 2048;

    private ItemLimits() {
    }

    /**
     * @param partitionKeys the attributes that are a partition key of the table or of one of its indexes
     * @return why the item can never be stored, or {@code null} when it fits
     */
    static String violation(Map<String, AttributeValue> item, Collection<String> partitionKeys) {
        for (String key : partitionKeys) {
            AttributeValue value = item.get(key);
            if (value != null && value.s() != null) {
                int bytes = utf8Length(value.s());
                if (bytes == 0 || bytes > MAX_PARTITION_KEY_BYTES) {
                    return "key attribute " + key + " of " + bytes + " bytes; DynamoDB takes 1 to "
                            + MAX_PARTITION_KEY_BYTES + " bytes";
                }
            }
        }
        long size = size(item);
        if (size > MAX_ITEM_BYTES) {
            return "item of " + size + " bytes; DynamoDB takes items of at most " + MAX_ITEM_BYTES + " bytes";
        }
        return null;
    }

    /** An item's size as DynamoDB counts it: each attribute's name and value. */
    static long size(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += utf8Length(attribute.getKey()) + size(attribute.getValue());
        }
        return size;
    }

    private static long size(AttributeValue value) {
        if (value.s() != null) {
            return utf8Length(value.s());
        }
        if (value.n() != null) {
            return numberSize(value.n());
        }
        if (value.b() != null) {
            return value.b().asByteArrayUnsafe().length;
        }
        if (value.hasM()) {
            return 3 + value.m().size() + size(value.m());
        }
        if (value.hasL()) {
            return 3 + value.l().stream().mapToLong(element -> 1 + size(element)).sum();
        }
        if (value.hasSs()) {
            return value.ss().stream().mapToLong(ItemLimits::utf8Length).sum();
        }
        if (value.hasNs()) {
            return value.ns().stream().mapToLong(ItemLimits::numberSize).sum();
        }
        if (value.hasBs()) {
            return value.bs().stream().mapToLong(bytes -> bytes.asByteArrayUnsafe().length).sum();
        }
        return 1; // BOOL, NULL
    }

    /**
     * One byte per two digits, plus one. DynamoDB counts significant digits only; counting trailing zeros too never
     * undercounts, so an item of the same shape (a time stamped again on a retry) cannot grow past the check.
     */
    private static long numberSize(String number) {
        String digits = number.replaceAll("[^0-9]", "").replaceAll("^0+", "");
        return (digits.length() + 1) / 2 + 1;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
