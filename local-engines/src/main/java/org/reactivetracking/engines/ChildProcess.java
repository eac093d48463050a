package org.reactivetracking.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A child process tethered to this JVM: it is started through a small shell wrapper that kills it as soon as this
 * JVM's end of the wrapper's stdin closes. The JVM closes it on a normal exit, and the kernel closes it when the JVM
 * dies in any other way (SIGKILL, a crashed build), so no engine outlives the build that started it.
 * <p>
 * The wrapper runs in a session of its own ({@code setsid}). A signal to this JVM's process group (Ctrl-C, a closed
 * terminal's SIGHUP, {@code kill -- -PGID}, a CI time-out) then reaches this JVM, whose shutdown hooks stop the child,
 * and not the wrapper: in the JVM's group, the wrapper's watcher died of the same SIGTERM before it could kill the
 * child, and a child that ignores SIGTERM (kinesis-mock does) stayed on, orphaned, holding its port.
 */
public final class ChildProcess {

    // fd 3 keeps the wrapper's stdin: a background list's own stdin is /dev/null.
    private static final String TETHER = "exec 3<&0; \"$@\" </dev/null & child=$!; "
            + "{ cat <&3 >/dev/null; kill -KILL $child 2>/dev/null; } & "
            + "wait $child";

    /** {@code setsid} where the system has it (util-linux); elsewhere the wrapper stays in this JVM's group. */
    private static final List<String> OWN_SESSION = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(path -> Files.isExecutable(Path.of(path))).limit(1).toList();

    /** How many lines of a log {@link #tail(Path)} gives. */
    private static final int TAIL_LINES = 20;

    private final String name;
    private final Process process;

    private ChildProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code command} in {@code workDir} with {@code env} added to this JVM's environment, its output
     * appended to {@code logFile}.
     */
    public static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
            Path logFile) {
        return start(name, command, workDir, env, logFile, true);
    }

    /**
     * Like {@link #start(String, List, Path, Map, Path)}, but the process sees {@code env} as its whole environment,
     * as in a container: nothing of this JVM's environment reaches it but {@code PATH} (unless {@code env} sets
     * one), which the wrapper and the process need to find their tools.
     */
    public static ChildProcess startIsolated(String name, List<String> command, Path workDir,
            Map<String, String> env, Path logFile) {
        return start(name, command, workDir, env, logFile, false);
    }

    private static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> env,
            Path logFile, boolean inheritEnvironment) {
        List<String> wrapped = new ArrayList<>(OWN_SESSION);
        wrapped.addAll(List.of("sh", "-c", TETHER, "sh"));
        wrapped.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(wrapped).directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (!inheritEnvironment) {
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        }
        builder.environment().putAll(env);
        try {
            return new ChildProcess(name, builder.start());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, ex);
        }
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Why a start failed, for a process that has exited: its exit code and the last lines of {@code logFile}, so the
     * cause shows where the failure is reported (a build's output, {@code ./run.sh}'s terminal) and not only in a
     * file that a CI machine may not keep.
     */
    public String exitedAtStart(Path logFile) {
        String code = process.isAlive() ? "still running" : "exit code " + process.exitValue();
        return name + " exited at start (" + code + "); " + tail(logFile);
    }

    /** The last lines of {@code logFile}, introduced by its path, or a line saying it cannot be read. */
    public static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return logFile + ", last lines:\n  " + String.join("\n  ",
                    lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        }
        catch (IOException | UncheckedIOException ex) {
            return logFile + " cannot be read: " + ex;
        }
    }

    /** Asks the process to stop (SIGTERM) and kills it, and whatever it started, after {@code grace}. */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        if (!grace.isZero()) {
            tree.forEach(handle -> handle.onExit().completeOnTimeout(handle, grace.toMillis(), TimeUnit.MILLISECONDS)
                    .join());
        }
        kill();
    }

    /** Kills the process and everything it started at once (SIGKILL), as a crash would. */
    public void kill() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.getOutputStream().close();
            process.waitFor(10, TimeUnit.SECONDS);
            // returns only once the whole tree is gone, so its ports are free again
            for (ProcessHandle handle : tree) {
                handle.onExit().get(10, TimeUnit.SECONDS);
            }
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException(name + " did not exit after SIGKILL", ex);
        }
        catch (IOException ignored) {
            // the wrapper is gone already
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
