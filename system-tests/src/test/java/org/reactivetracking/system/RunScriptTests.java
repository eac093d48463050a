package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivetracking.engines.Ports;

/**
 * {@code ./run.sh} as a user runs it (in a session of its own, as a terminal gives it), the whole system up, then
 * stopped the ways the world stops it: Ctrl-C (SIGINT to the process group), a closed terminal (SIGHUP to the group),
 * {@code kill -- -PGID}, systemd or a CI time-out (SIGTERM to the group), and {@code kill PID} (SIGTERM to the script
 * alone). Asserted each time: every process it started, the engines included wherever they run now, is gone, and every
 * port it served is free again, so the next {@code ./run.sh} starts. It runs on what the build packaged
 * ({@code SKIP_BUILD=true}).
 */
class RunScriptTests {

    enum Stop {
        SIGINT_TO_THE_GROUP("-INT", true), SIGHUP_TO_THE_GROUP("-HUP", true), SIGTERM_TO_THE_GROUP("-TERM", true),
        SIGTERM_TO_THE_SCRIPT("-TERM", false);

        final String signal;
        final boolean group;

        Stop(String signal, boolean group) {
            this.signal = signal;
            this.group = group;
        }
    }

    private static final Path ROOT = Path.of(System.getProperty("service-jars.dir"));
    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @ParameterizedTest
    @EnumSource(Stop.class)
    void leavesNothingRunning(Stop stop) throws Exception {
        Path runDir = Files.createDirectories(Path.of("target", "run-sh", stop.name()).toAbsolutePath());
        Map<String, Integer> ports = Stream.of("REDIS_PORT", "KINESIS_PORT", "DYNAMODB_PORT", "TRACKING_PORT",
                "CONSUMER_PORT", "UPDATER_PORT").collect(Collectors.toMap(name -> name, name -> Ports.free()));
        // every signal at its default, as in a terminal: a build started under nohup (or as a shell's background
        // job) passes SIGHUP (SIGINT) on ignored, which a script cannot undo, and the stop under test would not arrive
        ProcessBuilder builder = new ProcessBuilder("setsid", "env", "--default-signal", "bash", "run.sh")
                .directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(runDir.resolve("run.out").toFile());
        ports.forEach((name, port) -> builder.environment().put(name, String.valueOf(port)));
        builder.environment().putAll(Map.of("RUN_DIR", runDir.toString(), "SKIP_BUILD", "true",
                "TRACKING_ADMIN_API_KEY", "run-sh-test-key"));
        Process script = builder.start();
        started.add(script.toHandle());

        await("./run.sh: the system up (" + runDir + ")").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (!script.isAlive()) {
                        throw new IllegalStateException("run.sh exited with " + script.exitValue() + ":\n"
                                + Files.readString(runDir.resolve("run.out")));
                    }
                    return Files.readString(runDir.resolve("run.out")).contains("The system is up");
                });
        script.descendants().forEach(started::add);
        assertThat(started.stream().map(RunScriptTests::command)).as("what run.sh started")
                .filteredOn(command -> command.endsWith("/java")).hasSize(4);
        assertThat(started.stream().map(RunScriptTests::command)).filteredOn(command -> command.endsWith("/node"))
                .as("kinesis-mock and dynalite").hasSize(2);
        assertThat(started.stream().map(RunScriptTests::command)).anyMatch(command -> command.contains("redis"));

        long signalledAt = System.currentTimeMillis();
        String target = stop.group ? "-" + script.pid() : String.valueOf(script.pid());
        Tools.Result kill = Tools.run(List.of("kill", stop.signal, "--", target), Map.of());
        assertThat(kill.exitCode()).as(kill.output()).isZero();

        await(stop + ": every process run.sh started gone").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(started)
                        .filteredOn(ProcessHandle::isAlive).extracting(RunScriptTests::command).isEmpty());
        assertThat(ports.values()).as("ports still served").noneMatch(Ports::isOpen);
        System.out.printf("%s: everything gone %d ms after the signal%n", stop,
                System.currentTimeMillis() - signalledAt);
    }

    private static String command(ProcessHandle process) {
        Optional<String> command = process.info().command();
        return process.pid() + " " + command.orElse("?");
    }
}
