package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reactivetracking.tracking.publish.PublishRejectedException.Outcome;

class AdmissionTests {

    private final Admission admission = new Admission(10, 1000, 600);

    @Test
    void refusesRecordsPastTheRecordBound() {
        for (int i = 0; i < 10; i++) {
            assertThat(admission.refusal(1)).isNull();
            admission.admit(1);
        }

        assertThat(admission.refusal(1)).isEqualTo(Reason.SATURATED);
        admission.release(1);
        assertThat(admission.refusal(1)).isNull();
    }

    @Test
    void refusesRecordsPastTheByteBound() {
        admission.admit(600);
        admission.admit(300);

        assertThat(admission.refusal(101)).isEqualTo(Reason.SATURATED);
        assertThat(admission.refusal(100)).isNull();
    }

    @Test
    void reportsSaturationFromNinetyPercent() {
        admission.admit(500);
        admission.admit(399);
        assertThat(admission.saturated()).isFalse();

        admission.admit(1);

        assertThat(admission.saturated()).isTrue();
    }

    @Test
    void refusesAnOversizeRecordEvenWhenEmpty() {
        assertThat(admission.refusal(601)).isEqualTo(Reason.OVERSIZE);
        assertThat(admission.refusal(600)).isNull();
    }

    @Test
    void refusesEverythingOnceClosed() {
        admission.close();

        assertThat(admission.refusal(1)).isEqualTo(Reason.STOPPING);
    }

    @Test
    void tellsTheCallerAnOversizeRecordIsNotWorthRetrying() {
        PublishRejectedException oversize = Admission.rejection(Reason.OVERSIZE, 601, "events", Duration.ofSeconds(1));
        PublishRejectedException full = Admission.rejection(Reason.SATURATED, 1, "events", Duration.ofSeconds(1));

        assertThat(oversize.outcome()).isEqualTo(Outcome.NOT_RECORDED);
        assertThat(oversize.retryAfter()).isNull();
        assertThat(full.outcome()).isEqualTo(Outcome.NOT_RECORDED);
        assertThat(full.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(full).hasMessageContaining("buffer full");
    }
}
