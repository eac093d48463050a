package org.reactivetracking.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Redis layout of a program: one hash per program under {@code <prefix><programId>} with the fields
 * {@code programId}, {@code programName}, {@code checksum}, {@code customerId}, {@code customerName}, {@code valid}
 * (as existing readers of this layout expect them, plus {@code userAgent} and {@code messageId} kept empty) and
 * {@code version}, the version of the update that wrote it.
 */
public final class ProgramHash {

    public static final String VERSION = "version";

    private ProgramHash() {
    }

    public static Map<String, String> toHash(Program program, long version) {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put("programId", program.programId());
        hash.put("programName", program.programName());
        hash.put("checksum", program.checksum());
        hash.put("customerId", String.valueOf(program.customerId()));
        hash.put("customerName", program.customerName());
        hash.put("valid", String.valueOf(program.valid()));
        hash.put("userAgent", "");
        hash.put("messageId", "");
        hash.put(VERSION, String.valueOf(version));
        return hash;
    }

    /**
     * Reads a program hash.
     *
     * @throws InvalidRecordException when the hash lacks {@code programId} or holds a non-numeric customer id
     */
    public static Program fromHash(Map<String, String> hash) {
        String programId = hash.get("programId");
        if (programId == null || programId.isBlank()) {
            throw new InvalidRecordException("program hash without programId");
        }
        int customerId;
        try {
            customerId = Integer.parseInt(hash.getOrDefault("customerId", "0"));
        }
        catch (NumberFormatException ex) {
            throw new InvalidRecordException("program " + programId + " has a non-numeric customerId", ex);
        }
        return new Program(programId, hash.get("programName"), hash.get("checksum"), customerId,
                hash.get("customerName"), Boolean.parseBoolean(hash.get("valid")));
    }

    /**
     * The Lua script that applies a {@link ProgramUpdate} atomically with a version check and announces it.
     * KEYS: the program hash, its deletion marker. ARGV: version, "1" for a deletion, the announcement channel,
     * the program id, the deletion marker's time to live in seconds, then the hash's field/value pairs.
     * Returns 1 when applied, 0 when the update is older than what Redis holds.
     */
    public static String applyScript() {
        try (InputStream in = ProgramHash.class.getResourceAsStream("apply-program-update.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("apply-program-update.lua missing from common-model", ex);
        }
    }
}
