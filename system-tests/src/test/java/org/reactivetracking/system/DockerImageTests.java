package org.reactivetracking.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Dockerfile reading that DeployRunTests and TaskDefinitionTests rely on. */
class DockerImageTests {

    private static final String DOCKERFILE = """
            FROM temurin:21-jdk AS build
            ENV PORT=1 BUILD_ONLY=yes
            ENTRYPOINT ["javac"]

            FROM temurin:21-jre
            # a comment
            ENV JAVA_TOOL_OPTIONS="-Xss1m -Dquote=\\"q\\"" PORT=8080
            ENV EXTRA=a \\
                MORE=b
            HEALTHCHECK --interval=15s --timeout=5s --start-period=1m30s --retries=3 \\
              CMD curl -fs "http://localhost:${PORT}/health" || exit 1
            ENTRYPOINT ["java", "-Xshare:auto", "-jar", "app.jar"]
            """;

    @Test
    void readsTheFinalStageOnly() {
        DockerImage image = DockerImage.parse(DOCKERFILE);

        assertThat(image.env()).containsExactlyInAnyOrderEntriesOf(Map.of("JAVA_TOOL_OPTIONS", "-Xss1m -Dquote=\"q\"",
                "PORT", "8080", "EXTRA", "a", "MORE", "b"));
        assertThat(image.entrypoint()).containsExactly("java", "-Xshare:auto", "-jar", "app.jar");
        assertThat(image.javaVersion()).isEqualTo(21);
        assertThat(DockerImage.parse("FROM eclipse-temurin:25.0.3_9-jre-noble\n").javaVersion()).isEqualTo(25);
        assertThat(DockerImage.parse("FROM eclipse-temurin:25\n").javaVersion()).isEqualTo(25);
        assertThatThrownBy(() -> DockerImage.parse("FROM debian:latest\n").javaVersion())
                .hasMessageContaining("no Java version");
    }

    @Test
    void runsAShellFormHealthCheckThroughShWithinItsStartPeriodAndRetries() {
        DockerHealthCheck check = DockerImage.parse(DOCKERFILE).healthCheck();

        assertThat(check.command()).isEqualTo(List.of("sh", "-c",
                "curl -fs \"http://localhost:${PORT}/health\" || exit 1"));
        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(check.bound()).isEqualTo(Duration.ofSeconds(90 + 3 * 15));
    }

    @Test
    void readsTheJavaOptionsOfTheAotCachesTraining() {
        DockerImage image = DockerImage.parse("""
                FROM temurin:25-jre
                RUN echo TRAINING_JAVA_OPTIONS="-Xnot-the-training"
                RUN --mount=type=bind,source=train.sh,target=/tmp/train-aot-cache.sh \\
                    TRAINING_JAVA_OPTIONS="-XX:A=1 \\
                      -XX:B=2" \\
                    sh /tmp/train-aot-cache.sh app.jar app.aot
                """);

        assertThat(image.trainingJavaOptions()).isEqualTo("-XX:A=1 -XX:B=2");
        assertThat(DockerImage.parse("FROM x\nRUN sh /tmp/train-aot-cache.sh app.jar app.aot\n").trainingJavaOptions())
                .isEmpty();
    }

    @Test
    void refusesWhatItCannotReadFaithfully() {
        assertThatThrownBy(() -> DockerImage.parse("FROM x\nENV PORT 8080\n"))
                .hasMessageContaining("only the KEY=value form");
        assertThatThrownBy(() -> DockerImage.parse("FROM x\nENTRYPOINT java -jar app.jar\n"))
                .hasMessageContaining("only the exec form");
    }
}
