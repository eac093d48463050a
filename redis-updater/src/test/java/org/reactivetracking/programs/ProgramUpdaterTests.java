package org.reactivetracking.programs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.reactivetracking.model.Program;
import org.reactivetracking.model.ProgramUpdate;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** The updater on the real engines: applies, orders, deletes and announces program updates. */
class ProgramUpdaterTests extends EngineBackedTests {

    @Test
    void appliesAnUpdateAndAnnouncesIt() {
        List<String> announced = new CopyOnWriteArrayList<>();
        RedisMessageListenerContainer listener = new RedisMessageListenerContainer();
        listener.setConnectionFactory(redis.getConnectionFactory());
        listener.addMessageListener((message, pattern) -> announced.add(new String(message.getBody(),
                StandardCharsets.UTF_8)), ChannelTopic.of("program-changes"));
        listener.afterPropertiesSet();
        listener.start();
        try {
            put(ProgramUpdate.upsert(program("p-announce", "Announced"), 10, ""));

            awaitName("p-announce", "Announced");
            await().atMost(Duration.ofSeconds(10)).until(() -> announced.contains("p-announce"));
            assertThat(redis.<String, String>opsForHash().entries("program:{p-announce}"))
                    .containsEntry("programId", "p-announce").containsEntry("customerId", "7")
                    .containsEntry("valid", "true").containsEntry("userAgent", "").containsEntry("messageId", "")
                    .containsEntry("version", "10");
        }
        finally {
            listener.stop();
        }
    }

    @Test
    void ignoresAnUpdateOlderThanWhatRedisHolds() {
        put(ProgramUpdate.upsert(program("p-order", "Newer"), 20, ""));
        put(ProgramUpdate.upsert(program("p-order", "Older"), 19, ""));
        put(ProgramUpdate.upsert(program("p-marker", "After"), 1, ""));

        awaitName("p-marker", "After");
        assertThat(name("p-order")).isEqualTo("Newer");
    }

    @Test
    void deletesAProgramAndKeepsItDeletedAgainstOlderReplays() {
        put(ProgramUpdate.upsert(program("p-delete", "Doomed"), 30, ""));
        put(ProgramUpdate.deletion("p-delete", 31, ""));
        put(ProgramUpdate.upsert(program("p-delete", "Replayed"), 30, ""));
        put(ProgramUpdate.upsert(program("p-marker2", "After"), 1, ""));

        awaitName("p-marker2", "After");
        assertThat(redis.hasKey("program:{p-delete}")).isFalse();
    }

    @Test
    void appliesTheRedirectAllowListAndDropsItWithAnUpdateWithoutOne() {
        Program allowing = new Program("p-allow-list", "Allowing", "c", 7, "ACME", true,
                List.of("https://shop.example.com/", "https://example.com:8443/sale/"));
        put(ProgramUpdate.upsert(allowing, 40, ""));

        awaitName("p-allow-list", "Allowing");
        Map<String, String> hash = redis.<String, String>opsForHash().entries("program:{p-allow-list}");
        assertThat(hash).containsEntry("redirectAllowList", "https://shop.example.com/ https://example.com:8443/sale/");
        assertThat(org.reactivetracking.model.ProgramHash.fromHash(hash)).isEqualTo(allowing);

        // a producer that knows no allow-list: its update replaces the whole program, so the list goes
        putRaw("""
                {"programId":"p-allow-list","programName":"Legacy","checksum":"c","customerId":7,
                 "customerName":"ACME","valid":true,"version":41}""");
        awaitName("p-allow-list", "Legacy");
        assertThat(redis.<String, String>opsForHash().get("program:{p-allow-list}", "redirectAllowList")).isEmpty();
    }

    @Test
    void appliesALegacyUpdateWithoutVersion() {
        putRaw("""
                {"programId":"p-legacy","programName":"Legacy","checksum":"c","customerId":3,
                 "customerName":"ACME","valid":true,"userAgent":"Mozilla","messageId":"m-1"}""");

        awaitName("p-legacy", "Legacy");
    }

    @Test
    void deadLettersGarbageAndAppliesTheNextUpdate() {
        putRaw("{\"programId\": 12, broken");
        put(ProgramUpdate.upsert(program("p-after-garbage", "Applied"), 1, ""));

        awaitName("p-after-garbage", "Applied");
        List<MapRecord<String, Object, Object>> deadLetters = redis.opsForStream()
                .range("program-updates:dead-letters", org.springframework.data.domain.Range.unbounded());
        assertThat(deadLetters).anySatisfy(record -> {
            Map<Object, Object> fields = record.getValue();
            assertThat(new String(Base64.getDecoder().decode((String) fields.get("data")), StandardCharsets.UTF_8))
                    .isEqualTo("{\"programId\": 12, broken");
            assertThat((String) fields.get("error")).contains("not JSON");
            assertThat((String) fields.get("sequenceNumber")).isNotBlank();
        });
    }
}
