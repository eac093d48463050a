package org.reactivetracking.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes {@link ProgramUpdate}s as the JSON of the program-update stream and back.
 * <p>
 * Field names are those used by existing producers of this architecture ({@code programId}, {@code programName},
 * {@code checksum}, {@code customerId}, {@code customerName}, {@code valid}); {@code userAgent} and
 * {@code messageId} may be present and are ignored. Appended fields: {@code version}, {@code deleted},
 * {@code traceHeader}, {@code redirectAllowList} (an array of at most {@value RedirectRule#MAX_ENTRIES} entries
 * following {@link RedirectRule}, kept in canonical form); records without them are upserts at version 0 that allow
 * no redirect. Types are checked strictly: a string where a
 * number belongs is an invalid record, not a guess. The program id must follow {@link ProgramIds}, and text fields
 * are at most {@value #MAX_TEXT_LENGTH} characters.
 */
public final class ProgramUpdateCodec {

    /** The longest text field an update may carry; a program is looked up on every event, so it stays small. */
    public static final int MAX_TEXT_LENGTH = 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ProgramUpdateCodec() {
    }

    public static byte[] encode(ProgramUpdate update) {
        Program program = update.program();
        ObjectNode json = MAPPER.createObjectNode()
                .put("programId", program.programId())
                .put("programName", program.programName())
                .put("checksum", program.checksum())
                .put("customerId", program.customerId())
                .put("customerName", program.customerName())
                .put("valid", program.valid())
                .put("version", update.version())
                .put("deleted", update.deleted())
                .put("traceHeader", update.traceHeader());
        ArrayNode allowList = json.putArray("redirectAllowList");
        program.redirectAllowList().forEach(allowList::add);
        return MAPPER.writeValueAsBytes(json);
    }

    /**
     * Decodes one record.
     *
     * @throws InvalidRecordException when the bytes are not a JSON object, lack a valid {@code programId}, or carry
     *                                a field of the wrong type or size
     */
    public static ProgramUpdate decode(byte[] bytes) {
        JsonNode json;
        try {
            json = MAPPER.readTree(bytes);
        }
        catch (JacksonException ex) {
            throw new InvalidRecordException("not JSON: " + ex.getOriginalMessage(), ex);
        }
        if (json == null || !json.isObject()) {
            throw new InvalidRecordException("not a JSON object: " + abbreviate(bytes));
        }
        String programId = text(json, "programId");
        if (programId == null || programId.isBlank()) {
            throw new InvalidRecordException("update without programId");
        }
        if (!ProgramIds.isValid(programId)) {
            throw new InvalidRecordException(ProgramIds.violation(programId));
        }
        Program program = new Program(programId, text(json, "programName"), text(json, "checksum"),
                Math.toIntExact(number(json, "customerId", Integer.MIN_VALUE, Integer.MAX_VALUE)),
                text(json, "customerName"), bool(json, "valid"), allowList(json));
        return new ProgramUpdate(program, number(json, "version", 0, Long.MAX_VALUE), bool(json, "deleted"),
                text(json, "traceHeader"));
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new InvalidRecordException("field '" + field + "' must be a string, was " + node.getNodeType());
        }
        if (node.stringValue().length() > MAX_TEXT_LENGTH) {
            throw new InvalidRecordException("field '" + field + "' must be at most " + MAX_TEXT_LENGTH
                    + " characters, was " + node.stringValue().length());
        }
        return node.stringValue();
    }

    private static List<String> allowList(JsonNode json) {
        JsonNode node = json.get("redirectAllowList");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > RedirectRule.MAX_ENTRIES) {
            throw new InvalidRecordException("field 'redirectAllowList' must be an array of at most "
                    + RedirectRule.MAX_ENTRIES + " strings");
        }
        List<String> entries = new ArrayList<>();
        for (JsonNode entry : node) {
            if (!entry.isString()) {
                throw new InvalidRecordException("field 'redirectAllowList' must hold strings, held "
                        + entry.getNodeType());
            }
            try {
                entries.add(RedirectRule.canonicalEntry(entry.stringValue()));
            }
            catch (IllegalArgumentException ex) {
                throw new InvalidRecordException("field 'redirectAllowList': " + ex.getMessage());
            }
        }
        return entries;
    }

    private static long number(JsonNode json, String field, long min, long max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            throw new InvalidRecordException("field '" + field + "' must be an integer in [" + min + ", " + max
                    + "], was " + node);
        }
        return node.longValue();
    }

    private static boolean bool(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new InvalidRecordException("field '" + field + "' must be a boolean, was " + node.getNodeType());
        }
        return node.booleanValue();
    }

    private static String abbreviate(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
