package org.reactivetracking.eventstore;

/** One Kinesis record as the consumer needs it: its bytes and where it sits on the stream. */
record StreamRecord(String stream, String shardId, String sequenceNumber, byte[] data) {
}
