package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivetracking.engines.Ports;

/**
 * The image's AOT cache, made and used as the image makes and uses it: the service's jar extracted as the
 * Dockerfile's build stage extracts it, {@code deploy/train-aot-cache.sh} run on it with a JDK of the image's version
 * (no engine answering, as in an image build), then the image's entrypoint started in that directory with the
 * image's environment, the cache required ({@code -XX:AOTMode=on}: a cache the JVM cannot use stops it), until the
 * image's own health check passes; both on the bean definitions Spring's AOT processing generated at build time.
 * The tracking service stands for the three: one recipe trains them all.
 */
class AotCacheTrainingTests {

    private static final String SERVICE = "tracking-service";

    @TempDir
    Path work;

    @Test
    void theImagesTrainingGivesACacheItsEntrypointStartsWithHoldingTheWebServer() throws Exception {
        DockerImage image = DockerImage.load();
        Path jdk = ImageJdk.require(image.javaVersion());
        Path java = jdk.resolve("bin").resolve("java");
        Path dir = Files.createDirectories(work.resolve("app"));
        Tools.Result extracted = Tools.run(List.of(java.toString(), "-Djarmode=tools", "-jar",
                ServiceProcess.packagedJar(SERVICE).toString(), "extract", "--destination", dir.toString()), Map.of());
        assertThat(extracted.exitCode()).as(extracted.output()).isZero();
        try (var jars = Files.list(dir)) {
            Path jar = jars.filter(file -> file.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
            Files.move(jar, dir.resolve("app.jar"));
        }

        Path script = Path.of(System.getProperty("service-jars.dir"), "deploy", "train-aot-cache.sh");
        // the Dockerfile's training runs with the ENTRYPOINT's JIT flags (one list written twice in one file)
        assertThat(image.trainingJavaOptions().split(" ")).as("the training's TRAINING_JAVA_OPTIONS")
                .contains(image.entrypoint().stream().filter(argument -> argument.startsWith("-XX:Tier4"))
                        .toArray(String[]::new));
        Tools.Result training = Tools.run(List.of("sh", script.toString(), dir.resolve("app.jar").toString(),
                dir.resolve("app.aot").toString()), Map.of("JAVA", java.toString(), "PORT",
                        String.valueOf(Ports.free()), "TRAINING_JAVA_OPTIONS", image.trainingJavaOptions()),
                Duration.ofMinutes(4));
        assertThat(training.exitCode()).as("train-aot-cache.sh:\n%s", training.output()).isZero();
        assertThat(dir.resolve("app.aot")).isNotEmptyFile();

        Path classes = work.resolve("classes.log");
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.put("PORT", String.valueOf(Ports.free()));
        env.put("TRACKING_ADMIN_API_KEY", "aot-cache-test");
        env.put("REDIS_PORT", "9"); // nothing needed: the health check is liveness
        env.put("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info:file=" + classes);
        DockerHealthCheck check = image.healthCheck();
        try (ServiceProcess service = ServiceProcess.inImageDir(SERVICE, SERVICE + "-aot-cache", image.entrypoint(),
                env, jdk, dir).launch()) {
            service.awaitUntil("HEALTHCHECK " + check.command(), check.bound(),
                    () -> Tools.run(check.command(), env, check.timeout()).exitCode() == 0);
            assertThat(service.logText()).contains("Starting AOT-processed TrackingApplication");
        }
        // the health check's request was served by classes the training loaded only on serving one, and the context
        // was built from the bean definitions generated at build time, which the training ran on too
        assertThat(Files.readString(classes)).containsPattern(
                "io\\.netty\\.handler\\.codec\\.http\\.HttpServerCodec source: shared objects file")
                .containsPattern("TrackingApplication__ApplicationContextInitializer source: shared objects file");
    }
}
