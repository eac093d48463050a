package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgramIdsTests {

    @ParameterizedTest
    @ValueSource(strings = { "212313", "p", "Summer_sale-2026.v2", "0", "A123456789012345678901234567890123456789012345678901234567890123" })
    void acceptsShortAsciiIds(String id) {
        assertThat(ProgramIds.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", ".", "..", "-rf", "_x", "a:deleted", "{a}", "a}", "a b", "a/b", "a\\b", "a%2F",
            "a;b", "a*", "caf\u00e9", "\u30d7\u30ed\u30b0\u30e9\u30e0", "a\u0000", "a\n",
            "A1234567890123456789012345678901234567890123456789012345678901234" })
    void refusesEverythingElse(String id) {
        assertThat(ProgramIds.isValid(id)).isFalse();
        assertThat(ProgramIds.violation(id)).startsWith("program id must be 1 to 64 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\u0000", "caf\u00e9" })
    void neverEchoesAnUnprintableId(String id) {
        assertThat(ProgramIds.violation(id)).doesNotContain(id).endsWith(id.length() + " characters");
    }
}
