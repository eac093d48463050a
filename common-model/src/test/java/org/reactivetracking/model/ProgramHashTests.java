package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgramHashTests {

    @Test
    void keepsTheFieldsExistingReadersExpect() {
        Program program = new Program("212313", "Summer sale", "8a1f", 42, "ACME", true);

        var hash = ProgramHash.toHash(program, 5);

        assertThat(hash).containsEntry("customerId", "42").containsEntry("valid", "true")
                .containsEntry("userAgent", "").containsEntry("messageId", "").containsEntry("version", "5");
        assertThat(ProgramHash.fromHash(hash)).isEqualTo(program);
    }

    @Test
    void readsAHashTheReferenceArchitectureWrote() {
        // its tracking service's HMSET: every value a string, userAgent and messageId present, no version
        var hash = Map.of("programId", "212313", "programName", "program2", "checksum", "124",
                "customerId", "9124", "customerName", "Customer2", "valid", "true", "userAgent", "Mozilla/5.0",
                "messageId", "5e1c7d0e-7c6b-4a7e-9a53-0b6d2f9e1a11");

        assertThat(ProgramHash.isProgram(hash)).isTrue();
        assertThat(ProgramHash.fromHash(hash)).isEqualTo(new Program("212313", "program2", "124", 9124, "Customer2",
                true));
    }

    @Test
    void keepsTheRedirectAllowListAndReadsAHashWithoutItAsAllowingNone() {
        Program program = new Program("212313", "Summer sale", "8a1f", 42, "ACME", true,
                List.of("https://shop.example.com/", "https://example.com:8443/sale/"));

        var hash = ProgramHash.toHash(program, 5);

        assertThat(hash).containsEntry("redirectAllowList", "https://shop.example.com/ https://example.com:8443/sale/");
        assertThat(ProgramHash.fromHash(hash)).isEqualTo(program);
        assertThat(ProgramHash.toHash(new Program("1", "n", "c", 1, "c", true), 1))
                .containsEntry("redirectAllowList", "");
        assertThat(ProgramHash.fromHash(Map.of("programId", "1", "redirectAllowList", "")).redirectAllowList())
                .isEmpty();
        assertThat(ProgramHash.fromHash(Map.of("programId", "1")).redirectAllowList()).isEmpty();
    }

    @Test
    void takesNoHashWithoutProgramIdForAProgram() {
        assertThat(ProgramHash.isProgram(Map.of("name", "a session"))).isFalse();
        assertThat(ProgramHash.isProgram(Map.of("programId", ""))).isFalse();
    }

    @Test
    void shipsTheScripts() {
        assertThat(ProgramHash.applyScript()).contains("redis.call('PUBLISH'");
        assertThat(ProgramHash.deleteIfProgramScript()).contains("redis.call('DEL'");
    }
}
