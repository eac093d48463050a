package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;

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
    void shipsTheApplyScript() {
        assertThat(ProgramHash.applyScript()).contains("redis.call('PUBLISH'");
    }
}
