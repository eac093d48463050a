package org.reactivetracking.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgramKeysTests {

    private final ProgramKeys keys = new ProgramKeys("program:");
    private final ProgramKeys bare = new ProgramKeys("");

    @Test
    void namesTheHashAndTheDeletionMarkerUnderTheIdsHashTag() {
        assertThat(keys.hash("212313")).isEqualTo("program:{212313}");
        assertThat(keys.deletionMarker("212313")).isEqualTo("program:{212313}:deleted");
    }

    @Test
    void namesTheHashByTheBareIdWhenThePrefixIsEmptyAndKeepsTheMarkerApart() {
        assertThat(bare.bare()).isTrue();
        assertThat(keys.bare()).isFalse();
        assertThat(bare.hash("212313")).isEqualTo("212313");
        assertThat(bare.deletionMarker("212313")).isEqualTo("{212313}:deleted");
        assertThat(ProgramIds.isValid(bare.deletionMarker("212313"))).as("a marker is never a program's bare id")
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "212313", "a", "Summer_sale-2026.v2", "zz" })
    void putsBothKeysOfAProgramInOneClusterSlot(String id) {
        assertThat(slot(keys.hash(id))).isEqualTo(slot(keys.deletionMarker(id))).isEqualTo(slot(id));
        assertThat(slot(bare.hash(id))).isEqualTo(slot(bare.deletionMarker(id))).isEqualTo(slot(id));
    }

    @Test
    void refusesIdsThatCouldReachAnotherProgramsKeys() {
        assertThatThrownBy(() -> keys.hash("a}:deleted")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.deletionMarker("a:deleted")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bare.hash("{a}:deleted")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bare.deletionMarker("a}:deleted")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAPrefixThatWouldTakeTheHashTagsPlace() {
        assertThatThrownBy(() -> new ProgramKeys("programs{x}:")).hasMessageContaining("braces");
        assertThatThrownBy(() -> new ProgramKeys(" ")).hasMessageContaining("non-blank");
        assertThatThrownBy(() -> new ProgramKeys(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tellsTheKeysOfAPrefixedLayoutByTheirNames() {
        assertThat(keys.kindOf("program:{212313}")).isEqualTo(ProgramKeys.Kind.HASH);
        assertThat(keys.kindOf("program:{212313}:deleted")).isEqualTo(ProgramKeys.Kind.DELETION_MARKER);
        assertThat(keys.kindOf("program:{212313}x")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(keys.kindOf("program:{bad id}")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(keys.kindOf("212313")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(keys.kindOf("{212313}:deleted")).isEqualTo(ProgramKeys.Kind.OTHER);
    }

    @Test
    void takesABareIdOnlyForACandidateSinceAnotherApplicationMayUseSuchAKey() {
        assertThat(bare.kindOf("212313")).isEqualTo(ProgramKeys.Kind.CANDIDATE_HASH);
        assertThat(bare.kindOf("session42")).isEqualTo(ProgramKeys.Kind.CANDIDATE_HASH);
        assertThat(bare.kindOf("{212313}:deleted")).isEqualTo(ProgramKeys.Kind.DELETION_MARKER);
        assertThat(bare.kindOf("{}:deleted")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(bare.kindOf("{a:b}:deleted")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(bare.kindOf("cache:user:1")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(bare.kindOf("program:{212313}")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(bare.kindOf("program-updates:dead-letters")).isEqualTo(ProgramKeys.Kind.OTHER);
        assertThat(bare.kindOf("a".repeat(65))).isEqualTo(ProgramKeys.Kind.OTHER);
    }

    @Test
    void scansOnlyProgramKeysAndEscapesTheGlobCharactersOfThePrefix() {
        assertThat(keys.scanPattern()).isEqualTo("program:{*}*");
        assertThat(new ProgramKeys("p*[x]:").scanPattern()).isEqualTo("p\\*\\[x\\]:{*}*");
        assertThat(bare.scanPattern()).as("bare ids can be any key: kindOf tells them apart").isEqualTo("*");
    }

    /** The Redis Cluster slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key, modulo 16384. */
    private static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) {
                key = key.substring(open + 1, close);
            }
        }
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }
        return (crc & 0xffff) % 16384;
    }
}
