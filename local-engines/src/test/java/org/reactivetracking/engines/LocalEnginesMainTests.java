package org.reactivetracking.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engines process that {@code ./run.sh} starts ({@link LocalEnginesMain}), run as a process of its own on free
 * ports, then ended: by SIGTERM (its shutdown hook stops the engines) and by SIGKILL (no hook runs: each engine's
 * tether kills it). Either way every engine process is gone afterwards and every port is free again. How the script
 * and a whole process group are stopped is shown by the system tests' {@code RunScriptTests}.
 */
class LocalEnginesMainTests {

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void sigtermStopsEveryEngine() throws IOException {
        runThenEnd("sigterm", ProcessHandle::destroy);
    }

    @Test
    void sigkillOfTheJvmTakesEveryEngineWithIt() throws IOException {
        long pid = runThenEnd("sigkill", ProcessHandle::destroyForcibly);

        // no shutdown hook ran: its tables stay in their folder until the next set of engines starts
        Path root = LocalEngines.dataRoot();
        assertThat(dataFolders(root, pid)).as("the killed JVM's dynalite folder").hasSize(1);
        new LocalEngines(Ports.free(), Ports.free(), Ports.free()).close();
        assertThat(dataFolders(root, pid)).as("removed by the next engines").isEmpty();
    }

    private static List<Path> dataFolders(Path root, long pid) throws IOException {
        try (var folders = Files.list(root)) {
            return folders.filter(folder -> folder.getFileName().toString().startsWith("dynalite-" + pid + "-"))
                    .toList();
        }
    }

    /** @return the pid of the engines process */
    private long runThenEnd(String label, Consumer<ProcessHandle> end) throws IOException {
        Path logs = Files.createDirectories(Path.of("target", "engines-main", label).toAbsolutePath());
        Map<String, Integer> ports = Map.of("REDIS_PORT", Ports.free(), "KINESIS_PORT", Ports.free(),
                "DYNAMODB_PORT", Ports.free());
        String classPath = "target/classes:" + Files.readString(Path.of("target", "runtime.classpath")).trim();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, LocalEnginesMain.class.getName()).redirectErrorStream(true)
                .redirectOutput(logs.resolve("main.log").toFile());
        ports.forEach((name, port) -> builder.environment().put(name, String.valueOf(port)));
        builder.environment().put("LOCAL_ENGINES_LOGS", logs.toString());
        builder.environment().put("LOCAL_ENGINES_HOME", System.getProperty("local-engines.home"));
        Process main = builder.start();
        started.add(main.toHandle());
        Ports.await("the engines process to print 'engines ready' (" + logs + ")", Duration.ofMinutes(3), () -> {
            if (!main.isAlive()) {
                throw new IllegalStateException("the engines process exited (exit code " + main.exitValue() + "): "
                        + logTails(logs));
            }
            return read(logs.resolve("main.log")).contains("engines ready");
        });
        main.descendants().forEach(started::add);
        assertThat(started).extracting(process -> process.info().command().orElse("?"))
                .as("kinesis-mock and dynalite").filteredOn(command -> command.endsWith("/node")).hasSize(2);

        end.accept(main.toHandle());

        Ports.await(label + ": every engine process gone", Duration.ofSeconds(30),
                () -> started.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(ports.values()).as("ports still served").noneMatch(Ports::isOpen);
        return main.pid();
    }

    /** The last lines of the process's own log, then of each engine's: the cause, in the build's output. */
    private static String logTails(Path logs) {
        try (var files = Files.list(logs)) {
            return files.sorted(Comparator.comparing(file -> !file.endsWith("main.log")))
                    .map(ChildProcess::tail).collect(Collectors.joining("\n"));
        }
        catch (IOException ex) {
            return "cannot list " + logs + ": " + ex;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            return "";
        }
    }
}
