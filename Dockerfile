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
# The JDK's AOT cache (JEP 483/514): a training run up to the refreshed context (no connection is opened) records
# the classes loaded and linked, and every start maps them instead of loading them again. On a 2-core machine it
# took tracking-service from 7.2 s (extracted jar, Java 25) to 3.5 s, where a CDS archive gave 5.2 s, and the
# consumers from 9.4-10.1 s to 5.3-5.5 s (BENCHMARKS.md).
# The dummy admin key only lets the training context start; it is not kept in the image.
RUN TRACKING_ADMIN_API_KEY=aot-training java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh \
      -jar app.jar > /dev/null
USER 1000:1000
# Heap sized from the container's memory limit; a JVM that runs out of memory exits so ECS replaces the task.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError" PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fs "http://localhost:${PORT}/actuator/health/liveness" || exit 1
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
