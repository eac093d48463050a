# One image recipe for the three services:
#   docker build --build-arg SERVICE=tracking-service -t reactive-tracking/tracking-service .
# (SERVICE: tracking-service, kinesis-consumer or redis-updater). Multi-stage: the build stage runs the Maven
# wrapper; the runtime stage holds only a JRE and the Spring Boot layers, so a code change ships one small layer.
# No secret is ever baked in: everything comes from the environment (ECS `secrets`, the compose .env file).

FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
ARG SERVICE
WORKDIR /workspace
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY common-model common-model
COPY local-engines local-engines
COPY kinesis-batch kinesis-batch
COPY observability observability
COPY tracking-service tracking-service
COPY kinesis-consumer kinesis-consumer
COPY redis-updater redis-updater
COPY system-tests/pom.xml system-tests/pom.xml
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -DskipTests -Dcyclonedx.skip=true -pl "${SERVICE}" -am package \
 && java -Djarmode=tools -jar "${SERVICE}/target/${SERVICE}-0.1.0-SNAPSHOT.jar" extract --layers \
      --destination /layers \
 && mv "/layers/application/${SERVICE}-0.1.0-SNAPSHOT.jar" /layers/application/app.jar

FROM eclipse-temurin:25.0.3_9-jre-noble
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 1000 app && useradd --system --uid 1000 --gid app --no-create-home app
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# The JDK's AOT cache (JEP 483/514): a training run records the classes loaded and linked, and every start maps them
# instead of loading them again. The training (deploy/train-aot-cache.sh) runs the service up to live with no engine
# answering (dummy key and credentials, every endpoint a closed loopback port; none of it kept in the image), so the
# cache also holds the web server and the clients. On a 2-core machine the AOT cache took tracking-service from 7.2 s
# (extracted jar, Java 25) to 3.5 s, where a CDS archive gave 5.2 s; training up to live rather than up to the
# refreshed context took the consumers 0.5-1 s further (BENCHMARKS.md).
# The training runs with the ENTRYPOINT's JIT flags: the cache's profiles (JEP 515) then mark for C2 only what C2
# takes under those flags, and a start replays fewer C2 compilations (kinesis-consumer 0.26-0.41 s sooner; the others
# within noise; BENCHMARKS.md).
RUN --mount=type=bind,source=deploy/train-aot-cache.sh,target=/tmp/train-aot-cache.sh \
    TRAINING_JAVA_OPTIONS="-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 \
      -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000" \
    sh /tmp/train-aot-cache.sh app.jar app.aot > /tmp/training.log 2>&1 || { tail -40 /tmp/training.log; exit 1; }; \
    rm -f /tmp/training.log
USER 1000:1000
# Heap sized from the container's memory limit; a JVM that runs out of memory exits so ECS replaces the task.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError" PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fs "http://localhost:${PORT}/actuator/health/liveness" || exit 1
# Spring's AOT processing (the build's process-aot): the bean definitions generated at build time, not worked out at
# every start; 0.5-1.3 s off each service's start on top of the AOT cache (BENCHMARKS.md). What a deployment
# switches (CloudWatch export, OTLP spans) is decided at start; other auto-configuration conditions are decided when
# the image is built, from application.yml's defaults.
# The JIT's optimising compiler (C2) takes a method after 10 times the JDK's default counts (the four Tier4 flags);
# the quick compiler (C1) is unchanged. On 2 cores the compilers took twice the main thread's CPU during a start:
# measured 0.3-0.6 s off each start (1-1.5 s less CPU to ready), and the cost per event under load did not rise
# (BENCHMARKS.md).
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-Dspring.aot.enabled=true", \
  "-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000", \
  "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000", "-jar", "app.jar"]
