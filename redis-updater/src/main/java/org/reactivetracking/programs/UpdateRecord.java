package org.reactivetracking.programs;

/** One record of the update stream: its bytes and where it sits on the stream. */
record UpdateRecord(String stream, String shardId, String sequenceNumber, byte[] data) {
}
