package org.reactivetracking.tracking.publish;

/**
 * Why a record was not accepted: the {@code reason} tag of the rejection meter, and whether the record may be on the
 * stream all the same.
 */
enum Reason {

    /** The buffer was full. */
    SATURATED("saturated", false),
    /** The publisher was stopping. */
    STOPPING("stopping", false),
    /** Data and partition key together exceed what one Kinesis record may hold. */
    OVERSIZE("oversize", false),
    /** Not sent before its deadline: a call could no longer have completed in time. */
    EXPIRED("expired", false),
    /** Kinesis answered the entry: throughput exceeded. */
    THROTTLED("throttled", false),
    /** Kinesis answered the entry, or the whole call, with another error. */
    REFUSED("refused", false),
    /** The call was not sent: no connection to Kinesis, or the client refused to make it. */
    UNREACHABLE("unreachable", false),
    /** The call did not complete within its time: Kinesis may have stored its records. */
    TIMEOUT("timeout", true),
    /** The call failed after it may have reached Kinesis (connection lost, server error). */
    CALL_FAILED("call-failed", true);

    private final String tag;
    private final boolean mayBeStored;

    Reason(String tag, boolean mayBeStored) {
        this.tag = tag;
        this.mayBeStored = mayBeStored;
    }

    String tag() {
        return tag;
    }

    /** {@code true} when the record may be on the stream even though no answer said so. */
    boolean mayBeStored() {
        return mayBeStored;
    }
}
