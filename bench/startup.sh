#!/usr/bin/env bash
# Start-up of each service, launch -> ready (GET /actuator/health/readiness answers 200), on the real local engines
# (numbers, not a test).
#
#   bench/startup.sh [launches per variant]      (default 3)
#     SERVICES="tracking-service kinesis-consumer redis-updater"
#     VARIANTS="jdk17-jar jdk25-extracted jdk25-cds jdk25-aot jdk25-aot-live jdk25-aot-ready jdk25-aot-spring"
#     JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
#     CPUS=0     (optional) the launches run pinned to these CPUs (taskset -c), the JVM sizing itself to them: a
#                1-vCPU Fargate task's start on this machine's cores (the engines and the trainings stay unpinned,
#                but for jdk25-aot-ready's, which runs through the same launch)
#
# Variants per service: the fat jar on the default JDK (17); the extracted jar (java -Djarmode=tools extract) on
# JDK 25; the same with a CDS archive of a training run (-XX:ArchiveClassesAtExit); the same with JDK 25's AOT cache of
# a training run (-XX:AOTCacheOutput, JEP 483/514: classes loaded and linked ahead of time). Those training runs stop
# once the context is refreshed (-Dspring.context.exit=onRefresh). jdk25-aot-live trains with the image build's
# script (deploy/train-aot-cache.sh): no engine answering (every endpoint a closed port), the service run until its liveness
# answers, then stopped; its cache also holds the web server and what the clients load on their way to failing.
# jdk25-aot-ready trains up to ready (the engines answering), so its cache also holds what succeeding calls load.
# All of these run without Spring's AOT processing (-Dspring.aot.enabled is not set: the context is worked out at
# start). jdk25-aot-spring is the image: jdk25-aot-live on the bean definitions Spring's AOT processing generated at
# build time (-Dspring.aot.enabled=true), trained and launched with the image's JIT flags (IMAGE_JIT_OPTS).
# Prints the median and the spread per variant.
set -euo pipefail
cd "$(dirname "$0")/.."
LAUNCHES=${1:-3}
SERVICES=${SERVICES:-tracking-service kinesis-consumer redis-updater}
VARIANTS=${VARIANTS:-jdk17-jar jdk25-extracted jdk25-cds jdk25-aot jdk25-aot-live jdk25-aot-ready jdk25-aot-spring}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
REDIS_PORT=${BENCH_REDIS_PORT:-46379}
KINESIS_PORT=${BENCH_KINESIS_PORT:-44567}
DYNAMODB_PORT=${BENCH_DYNAMODB_PORT:-48000}
PORT=${BENCH_SERVICE_PORT:-48080}
HEAP=${BENCH_HEAP:-384m}
DIR=target/bench-startup
mkdir -p "$DIR"
. bench/lib.sh

build "$DIR/build.log" local-engines tracking-service kinesis-consumer redis-updater
start_engines "$DIR" "$REDIS_PORT" "$KINESIS_PORT" "$DYNAMODB_PORT" startup-events startup-updates
export EVENT_STREAM=startup-events UPDATE_STREAM=startup-updates TRACKING_ADMIN_API_KEY=bench PORT
PIN=()
if [ -n "${CPUS:-}" ]; then PIN=(taskset -c "$CPUS"); fi
launch() { # label java [options ...] -> ms from launch to ready
  local label=$1; shift
  local started pid
  started=$(now_ms)
  "${PIN[@]}" "$@" >> "$DIR/$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 2400); do
    if curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" > /dev/null; then
      echo $(( $(now_ms) - started ))
      kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
      return
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$label exited; see $DIR/$label.log" >&2; exit 1; }
    sleep 0.05
  done
  echo "$label not ready after 120 s; see $DIR/$label.log" >&2; exit 1
}
stats() { sort -n | awk '{v[NR] = $1} END {printf "median=%dms min=%dms max=%dms", v[int((NR + 1) / 2)], v[1], v[NR]}'; }

echo "machine: $(nproc) cores${CPUS:+ (launches pinned to CPUs $CPUS)}; $(java -version 2>&1 | head -1); $("$JDK25/bin/java" -version 2>&1 | head -1); heap $HEAP; $LAUNCHES launches per variant"
summary=()
for service in $SERVICES; do
  jar="$service/target/$service-$VERSION.jar"
  app="$DIR/$service"
  rm -rf "$app"
  "$JDK25/bin/java" -Djarmode=tools -jar "$jar" extract --destination "$app" > /dev/null
  # training runs: up to the refreshed context, no traffic
  "$JDK25/bin/java" -Xmx$HEAP -XX:ArchiveClassesAtExit="$app/app.jsa" -Dspring.context.exit=onRefresh \
    -jar "$app/$service-$VERSION.jar" > "$DIR/$service-train-cds.log" 2>&1
  "$JDK25/bin/java" -Xmx$HEAP -XX:AOTCacheOutput="$app/app.aot" -Dspring.context.exit=onRefresh \
    -jar "$app/$service-$VERSION.jar" > "$DIR/$service-train-aot.log" 2>&1
  if [[ " $VARIANTS " == *" jdk25-aot-ready "* ]]; then   # trained up to ready, then stopped (SIGTERM)
    launch "$service-train-aot-ready" "$JDK25/bin/java" -Xmx$HEAP -XX:AOTCacheOutput="$app/app-ready.aot" \
      -jar "$app/$service-$VERSION.jar" > /dev/null
    for _ in $(seq 1 600); do [ -s "$app/app-ready.aot" ] && break; sleep 0.1; done
  fi
  if [[ " $VARIANTS " == *" jdk25-aot-live "* ]]; then   # the image's training, without Spring's AOT processing
    JAVA="$JDK25/bin/java" TRAINING_JAVA_OPTIONS="-Xmx$HEAP -Dspring.aot.enabled=false" deploy/train-aot-cache.sh \
      "$app/$service-$VERSION.jar" "$app/app-live.aot" > "$DIR/$service-train-aot-live.log" 2>&1
  fi
  if [[ " $VARIANTS " == *" jdk25-aot-spring "* ]]; then   # the image's training, as it is
    JAVA="$JDK25/bin/java" TRAINING_JAVA_OPTIONS="-Xmx$HEAP ${IMAGE_JIT_OPTS[*]}" deploy/train-aot-cache.sh \
      "$app/$service-$VERSION.jar" "$app/app-spring.aot" > "$DIR/$service-train-aot-spring.log" 2>&1
  fi
  for variant in $VARIANTS; do
    times=()
    for _ in $(seq 1 "$LAUNCHES"); do
      case $variant in
        jdk17-jar) times+=("$(launch "$service-$variant" java -Xmx$HEAP -jar "$jar")") ;;
        jdk25-extracted) times+=("$(launch "$service-$variant" "$JDK25/bin/java" -Xmx$HEAP -jar "$app/$service-$VERSION.jar")") ;;
        jdk25-cds) times+=("$(launch "$service-$variant" "$JDK25/bin/java" -Xmx$HEAP -XX:SharedArchiveFile="$app/app.jsa" \
          -jar "$app/$service-$VERSION.jar")") ;;
        jdk25-aot) times+=("$(launch "$service-$variant" "$JDK25/bin/java" -Xmx$HEAP -XX:AOTCache="$app/app.aot" \
          -jar "$app/$service-$VERSION.jar")") ;;
        jdk25-aot-ready) times+=("$(launch "$service-$variant" "$JDK25/bin/java" -Xmx$HEAP \
          -XX:AOTCache="$app/app-ready.aot" -jar "$app/$service-$VERSION.jar")") ;;
        jdk25-aot-live) times+=("$(launch "$service-$variant" "$JDK25/bin/java" -Xmx$HEAP \
          -XX:AOTCache="$app/app-live.aot" -jar "$app/$service-$VERSION.jar")") ;;
        jdk25-aot-spring) times+=("$(launch "$service-$variant" "$JDK25/bin/java" -Xmx$HEAP \
          -XX:AOTCache="$app/app-spring.aot" -Dspring.aot.enabled=true "${IMAGE_JIT_OPTS[@]}" -jar "$app/$service-$VERSION.jar")") ;;
      esac
    done
    line="$service $variant $(printf '%s\n' "${times[@]}" | stats) (${times[*]})"
    echo "$line"
    summary+=("$line")
  done
done
echo "--- summary ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '%s\n' "${summary[@]}"
