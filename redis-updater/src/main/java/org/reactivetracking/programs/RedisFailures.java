package org.reactivetracking.programs;

import io.lettuce.core.RedisCommandExecutionException;
import java.util.List;

/**
 * Whether a failed Redis command can succeed if tried again. Permanent: Redis refused the update itself, an error
 * raised by the apply script for this program's keys (a key of another type where a program belongs, keys in
 * different cluster slots): the same update fails the same way. Everything else is transient and retried, holding the
 * shard: the connection, timeouts, and the error replies of a Redis that is full, busy, loading, failing over or
 * refusing credentials, which an operator fixes without touching the data.
 */
final class RedisFailures {

    private static final List<String> TRANSIENT_REPLIES = List.of("OOM", "BUSY", "LOADING", "READONLY",
            "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "NOAUTH", "WRONGPASS", "NOPERM", "NOSCRIPT", "MISCONF");
    private static final List<String> DATA_REPLIES = List.of("WRONGTYPE", "CROSSSLOT", "user_script",
            "Error running script");
    private static final int MAX_REASON_LENGTH = 500;

    private RedisFailures() {
    }

    static boolean isPermanent(Throwable failure) {
        String reply = errorReply(failure);
        if (reply == null || TRANSIENT_REPLIES.stream().anyMatch(reply::contains)) {
            return false;
        }
        return DATA_REPLIES.stream().anyMatch(reply::contains);
    }

    /** The failure as a reason for a dead letter: Redis's error reply, bounded. */
    static String reason(Throwable failure) {
        String reply = errorReply(failure);
        String reason = reply != null ? reply : failure.toString();
        return reason.length() <= MAX_REASON_LENGTH ? reason : reason.substring(0, MAX_REASON_LENGTH) + "...";
    }

    /** The error reply Redis answered, wherever Spring wrapped it; {@code null} when Redis did not answer. */
    private static String errorReply(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException reply) {
                return String.valueOf(reply.getMessage());
            }
        }
        return null;
    }
}
