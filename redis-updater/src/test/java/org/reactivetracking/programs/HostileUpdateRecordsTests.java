package org.reactivetracking.programs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.AggregatedRecords;

import org.reactivetracking.model.ProgramUpdate;
import org.reactivetracking.model.ProgramUpdateCodec;
import org.reactivetracking.model.TrackingEvent;
import org.reactivetracking.model.TrackingEventCodec;

/**
 * What a misbehaving producer can put on the update stream, between valid updates: every valid update is applied,
 * every hostile record is a dead letter with its reason, no update stalls the shard, and the dead-letter stream stays
 * capped.
 */
class HostileUpdateRecordsTests extends EngineBackedTests {

    @Test
    void appliesEveryValidUpdateAndDeadLettersEveryHostileRecordWithItsReason() throws Exception {
        // Redis keys another writer left where programs belong: a string, and a hash with a garbage version
        redis.opsForValue().set("program:{p-wrongtype}", "not a hash");
        redis.opsForHash().put("program:{p-badversion}", "version", "abc");
        Map<String, byte[]> hostile = corpus();
        Map<String, String> expectedReasons = expectedReasons();
        assertThat(expectedReasons.keySet()).containsExactlyInAnyOrderElementsOf(hostile.keySet());
        Map<String, String> sequenceOf = new LinkedHashMap<>();
        List<String> validBetween = new ArrayList<>();

        put(ProgramUpdate.upsert(program("p-hostile-doomed", "Doomed"), 1, ""));
        for (Map.Entry<String, byte[]> entry : hostile.entrySet()) {
            sequenceOf.put(entry.getKey(), put(entry.getValue()));
            String id = "p-hostile-" + validBetween.size();
            validBetween.add(id);
            put(ProgramUpdate.upsert(program(id, "Applied"), 1, ""));
        }
        // an aggregated record the KCL unpacks: each user record is an update of its own, the poison one
        // dead-lettered under its sub-sequence number, the valid one applied
        byte[] poisonUserRecord = utf8("{\"programId\":\"p-1\"");
        String aggregated = put(new AggregatedRecords.Packer("k").add(poisonUserRecord)
                .add(ProgramUpdateCodec.encode(ProgramUpdate.upsert(program("p-hostile-aggregated", "Unpacked"), 1,
                        ""))).toBytes());
        // what stalled the updater before: a deletion and an upsert behind a poison update
        put(ProgramUpdate.deletion("p-hostile-doomed", 2, ""));
        put(ProgramUpdate.upsert(program("p-hostile-marker", "After"), 1, ""));

        awaitName("p-hostile-marker", "After");
        assertThat(validBetween).allSatisfy(id -> assertThat(name(id)).as(id).isEqualTo("Applied"));
        assertThat(redis.hasKey("program:{p-hostile-doomed}")).isFalse();
        assertThat(name("p-hostile-aggregated")).isEqualTo("Unpacked");
        Map<String, Map<Object, Object>> bySequence = new LinkedHashMap<>();
        deadLetters().forEach(fields -> bySequence.put(fields.get("sequenceNumber")
                + (fields.containsKey("subSequenceNumber") ? "/" + fields.get("subSequenceNumber") : ""), fields));
        assertThat(bySequence).as("the poison user record").containsKey(aggregated + "/0")
                .doesNotContainKey(aggregated + "/1").doesNotContainKey(aggregated);
        assertThat((String) bySequence.get(aggregated + "/0").get("error")).contains("not JSON");
        assertThat(Base64.getDecoder().decode((String) bySequence.get(aggregated + "/0").get("data")))
                .isEqualTo(poisonUserRecord);
        for (Map.Entry<String, String> expected : expectedReasons.entrySet()) {
            Map<Object, Object> deadLetter = bySequence.get(sequenceOf.get(expected.getKey()));
            byte[] data = hostile.get(expected.getKey());
            assertThat(deadLetter).as(expected.getKey()).isNotNull();
            assertThat((String) deadLetter.get("error")).as(expected.getKey()).contains(expected.getValue());
            assertThat(deadLetter.get("dataLength")).as(expected.getKey()).isEqualTo(String.valueOf(data.length));
            assertThat(deadLetter.get("dataSha256")).as(expected.getKey()).isEqualTo(sha256(data));
            byte[] kept = Base64.getDecoder().decode((String) deadLetter.get("data"));
            assertThat(kept).as(expected.getKey()).isEqualTo(Arrays.copyOf(data, Math.min(data.length,
                    ProgramStore.MAX_DEAD_LETTER_DATA)));
        }
        assertThat(redis.opsForValue().get("program:{p-wrongtype}")).isEqualTo("not a hash");
    }

    @Test
    void keepsTheDeadLetterStreamCapped() {
        List<String> sequences = IntStream.range(0, DEAD_LETTER_MAX_LENGTH + 20)
                .mapToObj(i -> putRaw("garbage " + i)).toList();
        put(ProgramUpdate.upsert(program("p-cap-marker", "After"), 1, ""));

        awaitName("p-cap-marker", "After");
        List<Map<Object, Object>> kept = deadLetters();
        assertThat(kept).hasSize(DEAD_LETTER_MAX_LENGTH);
        assertThat(kept.get(kept.size() - 1).get("sequenceNumber")).isEqualTo(sequences.get(sequences.size() - 1));
    }

    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        corpus.put("garbage", new byte[] { (byte) 0xff, (byte) 0xfe, 0x00, 0x13 });
        corpus.put("empty", new byte[0]);
        corpus.put("truncated JSON", utf8("{\"programId\":\"p-1\",\"programN"));
        corpus.put("JSON array", utf8("[1,2]"));
        corpus.put("JSON null", utf8("null"));
        corpus.put("deeply nested JSON", utf8("[".repeat(100_000)));
        corpus.put("a tracking event", TrackingEventCodec.encode(new TrackingEvent(UUID.randomUUID().toString(),
                program("p-1", "n"), "ua", null, "")));
        // an aggregated record the KCL cannot unpack (its digest is wrong): it arrives whole
        byte[] corrupt = new AggregatedRecords.Packer("k").add(utf8("{\"programId\":\"p-1\"}"))
                .add(utf8("{\"programId\":\"p-2\"}")).toBytes();
        corrupt[corrupt.length - 1] ^= 0x01;
        corpus.put("an aggregated record with a wrong digest", corrupt);
        corpus.put("customerId as a string", utf8("{\"programId\":\"p-1\",\"customerId\":\"42\"}"));
        corpus.put("valid as a string", utf8("{\"programId\":\"p-1\",\"valid\":\"yes\"}"));
        corpus.put("negative version", utf8("{\"programId\":\"p-1\",\"version\":-1}"));
        corpus.put("fractional version", utf8("{\"programId\":\"p-1\",\"version\":1.5}"));
        corpus.put("version past a long", utf8("{\"programId\":\"p-1\",\"version\":1e30}"));
        corpus.put("programName as a number", utf8("{\"programId\":\"p-1\",\"programName\":7}"));
        corpus.put("program id naming a deletion marker", utf8("{\"programId\":\"p-1:deleted\"}"));
        corpus.put("program id with a hash tag", utf8("{\"programId\":\"{p-1}\"}"));
        corpus.put("program id as a glob", utf8("{\"programId\":\"*\"}"));
        corpus.put("empty program id", utf8("{\"programId\":\"\"}"));
        corpus.put("non-ASCII program id", utf8("{\"programId\":\"caf\u00e9\"}"));
        corpus.put("program id past 64 characters", utf8("{\"programId\":\"" + "p".repeat(65) + "\"}"));
        corpus.put("program id with a NUL", utf8("{\"programId\":\"p\\u0000\"}"));
        corpus.put("name past 1024 characters", utf8("{\"programId\":\"p-1\",\"programName\":\"" + "n".repeat(1025)
                + "\"}"));
        corpus.put("1 MiB update", utf8("{\"programId\":\"p-1\",\"programName\":\"" + "n".repeat(1024 * 1024 - 100)
                + "\"}"));
        corpus.put("allow-list as a string", utf8("{\"programId\":\"p-1\",\"redirectAllowList\":\"https://a.com/\"}"));
        corpus.put("allow-list entry as a number", utf8("{\"programId\":\"p-1\",\"redirectAllowList\":[7]}"));
        corpus.put("allow-list with a javascript: URL",
                utf8("{\"programId\":\"p-1\",\"redirectAllowList\":[\"javascript:alert(1)//\"]}"));
        corpus.put("allow-list entry with user information",
                utf8("{\"programId\":\"p-1\",\"redirectAllowList\":[\"https://a.com@evil.com/\"]}"));
        corpus.put("allow-list entry with a space (the hash's separator)",
                utf8("{\"programId\":\"p-1\",\"redirectAllowList\":[\"https://a.com/ https://evil.com/\"]}"));
        corpus.put("allow-list past 64 entries", utf8("{\"programId\":\"p-1\",\"redirectAllowList\":["
                + "\"https://a.com/\",".repeat(64) + "\"https://a.com/\"]}"));
        corpus.put("a program key holding a string", utf8("{\"programId\":\"p-wrongtype\",\"version\":5}"));
        corpus.put("a program hash with a garbage version", utf8("{\"programId\":\"p-badversion\",\"version\":5}"));
        return corpus;
    }

    private static Map<String, String> expectedReasons() {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("garbage", "not JSON");
        reasons.put("empty", "not a JSON object");
        reasons.put("truncated JSON", "not JSON");
        reasons.put("JSON array", "not a JSON object");
        reasons.put("JSON null", "not a JSON object");
        reasons.put("deeply nested JSON", "not JSON");
        reasons.put("a tracking event", "not JSON");
        reasons.put("an aggregated record with a wrong digest", "not JSON");
        reasons.put("customerId as a string", "field 'customerId' must be an integer");
        reasons.put("valid as a string", "field 'valid' must be a boolean");
        reasons.put("negative version", "field 'version' must be an integer");
        reasons.put("fractional version", "field 'version' must be an integer");
        reasons.put("version past a long", "field 'version' must be an integer");
        reasons.put("programName as a number", "field 'programName' must be a string");
        reasons.put("program id naming a deletion marker", "program id must be");
        reasons.put("program id with a hash tag", "program id must be");
        reasons.put("program id as a glob", "program id must be");
        reasons.put("empty program id", "update without programId");
        reasons.put("non-ASCII program id", "program id must be");
        reasons.put("program id past 64 characters", "program id must be");
        reasons.put("program id with a NUL", "program id must be");
        reasons.put("name past 1024 characters", "at most 1024 characters");
        reasons.put("1 MiB update", "at most 1024 characters");
        reasons.put("allow-list as a string", "field 'redirectAllowList' must be an array");
        reasons.put("allow-list entry as a number", "field 'redirectAllowList' must hold strings");
        reasons.put("allow-list with a javascript: URL", "must be an absolute http or https URL");
        reasons.put("allow-list entry with user information", "must not carry user information");
        reasons.put("allow-list entry with a space (the hash's separator)", "printable ASCII without spaces");
        reasons.put("allow-list past 64 entries", "field 'redirectAllowList' must be an array of at most 64");
        reasons.put("a program key holding a string", "Redis refused the update of program p-wrongtype: ");
        reasons.put("a program hash with a garbage version", "Redis refused the update of program p-badversion: ");
        return reasons;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

}
