#!/bin/sh
# Trains the JDK's AOT cache (JEP 483/514) of one service, as the image build does: the service runs up to live (its
# web server answering) with no engine to talk to, every endpoint a closed loopback port, and is then stopped; the JVM
# writes at exit the classes it loaded and linked, those of the web server, the SDK and Redis clients and their first
# (failing) calls included. Nothing is opened outside the machine and no secret is used: the key and credentials are
# dummies, not kept anywhere. bench/startup.sh (variant jdk25-aot-live) measures what it gives.
#
#   train-aot-cache.sh <jar> <cache file>    JAVA (default java), TRAINING_JAVA_OPTIONS, PORT (default 8080)
set -eu
jar=$1
cache=$2
port=${PORT:-8080}
closed=http://127.0.0.1:9
# shellcheck disable=SC2086 # TRAINING_JAVA_OPTIONS holds several options
env TRACKING_ADMIN_API_KEY=aot-training PORT="$port" AWS_REGION=us-east-1 \
  SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY=aot-training SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY=aot-training \
  REDIS_HOST=127.0.0.1 REDIS_PORT=9 SPRING_CLOUD_AWS_KINESIS_ENDPOINT=$closed SPRING_CLOUD_AWS_DYNAMODB_ENDPOINT=$closed \
  EVENTSTORE_CREATE_TABLES=false KINESIS_CONSUMER_CREATE_LEASE_TABLE=false \
  "${JAVA:-java}" ${TRAINING_JAVA_OPTIONS:-} -XX:AOTCacheOutput="$cache" -jar "$jar" &
pid=$!
tries=0
until curl -fs "http://127.0.0.1:$port/actuator/health/liveness" > /dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null || [ "$tries" -ge 1200 ]; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || true
    echo "train-aot-cache: $jar did not become live within 2 minutes" >&2
    exit 1
  fi
  tries=$((tries + 1))
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid" || true
[ -s "$cache" ] || { echo "train-aot-cache: no AOT cache written to $cache" >&2; exit 1; }
