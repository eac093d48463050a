#!/bin/sh
# Trains the JDK's AOT cache (JEP 483/514) of one service, as the image build does: the service runs up to live (its
# web server answering) with no engine to talk to, every endpoint a closed loopback port, and is then stopped; the JVM
# writes at exit the classes it loaded and linked, those of the web server, the SDK and Redis clients and their first
# (failing) calls included. Nothing is opened outside the machine and no secret is used: the key and credentials are
# dummies, not kept anywhere. It runs as the image's ENTRYPOINT does, on the bean definitions Spring's AOT processing
# generated at build time (-Dspring.aot.enabled=true), so the cache holds those classes and not the ones that
# processing replaces. bench/startup.sh (variant jdk25-aot-spring) measures what it gives.
#
#   train-aot-cache.sh <jar> <cache file>    JAVA (default java), TRAINING_JAVA_OPTIONS, PORT (default 8080)
set -eu
# the jar by its absolute path: a cache recorded on a relative one and started on another spelling of the same file
# was taken by the JVM, but its classes had no code source (Spring Cloud Stream then failed at start); one recorded
# on the absolute path starts from either
dir=$(CDPATH='' cd -- "$(dirname -- "$1")" && pwd) || { echo "train-aot-cache: no directory for $1" >&2; exit 1; }
jar=$dir/$(basename -- "$1")
cache=$2
port=${PORT:-8080}
closed=http://127.0.0.1:9
if curl -s -m 2 -o /dev/null "http://127.0.0.1:$port/"; then
  echo "train-aot-cache: port $port already answers; set PORT to a free one" >&2
  exit 1
fi
# shellcheck disable=SC2086 # TRAINING_JAVA_OPTIONS holds several options
env TRACKING_ADMIN_API_KEY=aot-training PORT="$port" AWS_REGION=us-east-1 \
  SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=aot-training SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=aot-training \
  REDIS_HOST=127.0.0.1 REDIS_PORT=9 SPRING_CLOUD_AWS_KINESIS_ENDPOINT=$closed SPRING_CLOUD_AWS_DYNAMODB_ENDPOINT=$closed \
  EVENTSTORE_CREATE_TABLES=false KINESIS_CONSUMER_CREATE_LEASE_TABLE=false \
  "${JAVA:-java}" -Dspring.aot.enabled=true ${TRAINING_JAVA_OPTIONS:-} -XX:AOTCacheOutput="$cache" -jar "$jar" &
pid=$!

# stop: SIGTERM, as a container stop; the JVM writes the cache on its way out (SIGKILL after a minute, and fail)
stop() {
  kill -TERM "$pid" 2>/dev/null || true
  waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 600 ]; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "train-aot-cache: $jar did not stop within a minute" >&2
      exit 1
    fi
    waited=$((waited + 1))
    sleep 0.1
  done
  wait "$pid" || true
}

tries=0
until curl -fs -m 2 -o /dev/null "http://127.0.0.1:$port/actuator/health/liveness"; do
  if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -ge 1200 ]; then
    stop
    echo "train-aot-cache: $jar exited, or was not live within 2 minutes" >&2
    exit 1
  fi
  tries=$((tries + 1))
  sleep 0.1
done
# live, and the one answering is this JVM: the port was free before it started and it still runs
kill -0 "$pid" 2>/dev/null || { echo "train-aot-cache: $jar exited" >&2; exit 1; }
stop
[ -s "$cache" ] || { echo "train-aot-cache: no AOT cache written to $cache" >&2; exit 1; }
