package org.reactivetracking.tracking.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** How accepted records' callers are answered: per executor, in one task each, or at once. */
class AnswerTests {

    /** Holds the tasks it is given until run. */
    static final class HeldTasks implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }
    }

    @Test
    void answersEachExecutorsCallersInOneTaskThereAndTheOthersAtOnce() {
        HeldTasks loopA = new HeldTasks();
        HeldTasks loopB = new HeldTasks();
        Pending a1 = pending(loopA);
        Pending b1 = pending(loopB);
        Pending a2 = pending(loopA);
        Pending direct = pending(null);

        KinesisBatchPublisher.answer(List.of(a1, b1, a2, direct));

        assertThat(direct.done).isCompleted();
        assertThat(List.of(a1, a2, b1)).noneMatch(pending -> pending.done.isDone());
        assertThat(loopA.tasks).hasSize(1);
        assertThat(loopB.tasks).hasSize(1);
        loopA.tasks.get(0).run();
        assertThat(a1.done).isCompleted();
        assertThat(a2.done).isCompleted();
        assertThat(b1.done).isNotDone();
        loopB.tasks.get(0).run();
        assertThat(b1.done).isCompleted();
    }

    @Test
    void answersOnThisThreadWhenTheExecutorNoLongerTakesTasks() {
        Executor shutDown = task -> {
            throw new RejectedExecutionException("shut down");
        };
        Pending caller = pending(shutDown);

        KinesisBatchPublisher.answer(List.of(caller));

        assertThat(caller.done).isCompleted();
    }

    @Test
    void answersRejectedCallersOnTheirExecutorToo() {
        HeldTasks loop = new HeldTasks();
        Pending caller = pending(loop);
        IllegalStateException rejection = new IllegalStateException("not recorded");

        KinesisBatchPublisher.answer(List.of(caller), pending -> pending.done.completeExceptionally(rejection));

        assertThat(caller.done).isNotDone();
        assertThat(loop.tasks).hasSize(1);
        loop.tasks.get(0).run();
        assertThat(caller.done).isCompletedExceptionally();
    }

    private static Pending pending(Executor answerOn) {
        return new Pending("k", new byte[] { 1 }, 2, 0, 1_000, 500, 0, answerOn);
    }
}
