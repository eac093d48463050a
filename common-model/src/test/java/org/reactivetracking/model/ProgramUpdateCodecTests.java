package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramUpdateCodecTests {

    private final Program program = new Program("212313", "Summer sale", "8a1f", 42, "ACME", true);

    @Test
    void roundTripsAnUpsertAndADeletion() {
        ProgramUpdate upsert = ProgramUpdate.upsert(program, 17, "Root=1-abc");
        ProgramUpdate deletion = ProgramUpdate.deletion("212313", 18, "");

        assertThat(ProgramUpdateCodec.decode(ProgramUpdateCodec.encode(upsert))).isEqualTo(upsert);
        assertThat(ProgramUpdateCodec.decode(ProgramUpdateCodec.encode(deletion))).isEqualTo(deletion);
    }

    @Test
    void carriesTheRedirectAllowListInCanonicalForm() {
        Program allowing = new Program("212313", "Summer sale", "8a1f", 42, "ACME", true,
                List.of("https://shop.example.com/", "http://example.com:8080/sale/"));
        ProgramUpdate upsert = ProgramUpdate.upsert(allowing, 17, "");

        assertThat(ProgramUpdateCodec.decode(ProgramUpdateCodec.encode(upsert))).isEqualTo(upsert);
        assertThat(decode("{\"programId\":\"1\",\"redirectAllowList\":[\"HTTPS://Shop.Example.com:443\"]}")
                .program().redirectAllowList()).containsExactly("https://shop.example.com/");
        assertThat(decode("{\"programId\":\"1\",\"redirectAllowList\":null}").program().redirectAllowList())
                .isEmpty();
    }

    @Test
    void rejectsAnAllowListOfTheWrongShapeOrWithEntriesBreakingTheRule() {
        for (String list : List.of("\"https://a.example/\"", "{}", "[1]", "[null]", "[\"javascript:alert(1)\"]",
                "[\"https://a.example/shop\"]", "[\"https://u@a.example/\"]", "[\"//a.example/\"]",
                "[\"https://a.example/?q=1\"]", "[" + "\"https://a.example/\",".repeat(64) + "\"https://b.example/\"]")) {
            assertThatThrownBy(() -> decode("{\"programId\":\"1\",\"redirectAllowList\":" + list + "}"))
                    .as(list).isInstanceOf(InvalidRecordException.class).hasMessageContaining("redirectAllowList");
        }
    }

    @Test
    void acceptsTheLegacyFormatAsAnUpsertAtVersionZero() {
        String legacy = """
                {"programId":"212313","programName":"Summer sale","checksum":"8a1f","customerId":42,
                 "customerName":"ACME","valid":true,"userAgent":"Mozilla","messageId":"x-1"}""";

        assertThat(decode(legacy)).isEqualTo(ProgramUpdate.upsert(program, 0, ""));
    }

    @Test
    void rejectsGarbageMissingIdsAndWrongTypes() {
        assertThatThrownBy(() -> decode("not json")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> decode("[1,2]")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> decode("{\"programName\":\"x\"}")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("programId");
        assertThatThrownBy(() -> decode("{\"programId\":\"1\",\"customerId\":\"42\"}"))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("customerId");
        assertThatThrownBy(() -> decode("{\"programId\":\"1\",\"valid\":\"yes\"}"))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("valid");
        assertThatThrownBy(() -> decode("{\"programId\":1}")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("programId");
    }

    @Test
    void rejectsIdsOutsideTheIdRuleAndOversizeText() {
        assertThatThrownBy(() -> decode("{\"programId\":\"x:deleted\"}")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("program id must be");
        assertThatThrownBy(() -> decode("{\"programId\":\"caf\u00e9\"}")).isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("program id must be");
        String atLimit = "n".repeat(ProgramUpdateCodec.MAX_TEXT_LENGTH);
        assertThat(decode("{\"programId\":\"1\",\"programName\":\"" + atLimit + "\"}").program().programName())
                .isEqualTo(atLimit);
        assertThatThrownBy(() -> decode("{\"programId\":\"1\",\"programName\":\"" + atLimit + "n\"}"))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("at most 1024 characters");
    }

    private static ProgramUpdate decode(String json) {
        return ProgramUpdateCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }
}
