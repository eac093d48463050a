package org.reactivetracking.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Redis layout of a program: one hash per program under {@link ProgramKeys#hash(String)} with the fields
 * {@code programId}, {@code programName}, {@code checksum}, {@code customerId}, {@code customerName}, {@code valid}
 * (as existing readers of this layout expect them, plus {@code userAgent} and {@code messageId} kept empty),
 * {@code redirectAllowList} (the entries separated by single spaces, which no entry holds; absent or empty: no
 * redirect allowed) and {@code version}, the version of the update that wrote it. A hash without {@code version} (one the reference
 * architecture wrote) counts as older than any update, so the first update of that program replaces it.
 */
public final class ProgramHash {

    public static final String VERSION = "version";
    public static final String PROGRAM_ID = "programId";
    public static final String REDIRECT_ALLOW_LIST = "redirectAllowList";

    private ProgramHash() {
    }

    public static Map<String, String> toHash(Program program, long version) {
        Map<String, String> hash = new LinkedHashMap<>();
        hash.put(PROGRAM_ID, program.programId());
        hash.put("programName", program.programName());
        hash.put("checksum", program.checksum());
        hash.put("customerId", String.valueOf(program.customerId()));
        hash.put("customerName", program.customerName());
        hash.put("valid", String.valueOf(program.valid()));
        hash.put("userAgent", "");
        hash.put("messageId", "");
        hash.put(REDIRECT_ALLOW_LIST, String.join(" ", program.redirectAllowList()));
        hash.put(VERSION, String.valueOf(version));
        return hash;
    }

    /**
     * Reads a program hash.
     *
     * @throws InvalidRecordException when the hash lacks {@code programId} or holds a non-numeric customer id
     */
    public static Program fromHash(Map<String, String> hash) {
        String programId = hash.get(PROGRAM_ID);
        if (!isProgram(hash)) {
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
                hash.get("customerName"), Boolean.parseBoolean(hash.get("valid")),
                allowList(hash.getOrDefault(REDIRECT_ALLOW_LIST, "")));
    }

    private static List<String> allowList(String field) {
        return Arrays.stream(field.split(" ")).filter(entry -> !entry.isEmpty()).toList();
    }

    /** Whether a hash read from Redis is a program's: it holds a {@code programId}. */
    public static boolean isProgram(Map<String, String> hash) {
        String programId = hash.get(PROGRAM_ID);
        return programId != null && !programId.isBlank();
    }

    /**
     * The Lua script that applies a {@link ProgramUpdate} atomically with a version check and announces it.
     * KEYS: the program hash, its deletion marker. ARGV: version, "1" for a deletion, the announcement channel,
     * the program id, the deletion marker's time to live in seconds, then the hash's field/value pairs.
     * Returns 1 when applied, 0 when the update is older than what Redis holds (a hash without {@code version}
     * never is).
     */
    public static String applyScript() {
        return script("apply-program-update.lua");
    }

    /**
     * The Lua script a purge deletes a key with when the key's name alone does not prove it a program's (bare ids
     * in a shared cache): KEYS: the key; ARGV: {@code hash} (delete only a hash holding {@code programId}) or
     * {@code marker} (delete only a string holding a number). Returns 1 when deleted, else 0.
     */
    public static String deleteIfProgramScript() {
        return script("delete-if-program.lua");
    }

    private static String script(String name) {
        try (InputStream in = ProgramHash.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("not found");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(name + " missing from common-model", ex);
        }
    }
}
