package org.reactivetracking.eventstore;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Whether a failed DynamoDB write can succeed if tried again. Transient: the network, timeouts, throttling, 5xx, and
 * everything an operator fixes without touching the data (a missing table, credentials, permissions): those are
 * retried, holding the shard. Permanent: DynamoDB refused the data itself (validation, an item or key over its limit,
 * serialization), or the item could not even be mapped: retrying the same item gives the same answer, so it becomes a
 * dead letter.
 */
final class DynamoDbFailures {

    private static final Set<String> DATA_ERRORS = Set.of("ValidationException", "SerializationException",
            "ItemCollectionSizeLimitExceededException");
    private static final int MAX_REASON_LENGTH = 500;

    private DynamoDbFailures() {
    }

    static boolean isPermanent(Throwable failure) {
        if (failure instanceof SdkClientException) {
            return false;
        }
        if (failure instanceof AwsServiceException service) {
            return service.awsErrorDetails() != null && DATA_ERRORS.contains(service.awsErrorDetails().errorCode());
        }
        // thrown before any request was made (mapping the item): the same item fails the same way
        return failure instanceof RuntimeException;
    }

    /** The failure as a reason for a dead letter: its error code and message, bounded. */
    static String reason(Throwable failure) {
        String reason = failure instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "...";
    }
}
