#!/usr/bin/env bash
# Where the CPU goes in a JFR recording (execution samples): the share of samples per thread group, the top frames
# (self time, by method) and the share of samples whose stack passes through each part of the stack (inclusive; the
# parts overlap). For recordings made with bench/run.sh's BENCH_JAVA_OPTS / BENCH_CONSUMER_JAVA_OPTS.
#
#   bench/jfr-top.sh <recording.jfr> [top frames, default 25] [from HH:MM:SS.mmm] [until HH:MM:SS.mmm]
# (from / until: only the samples of that window, say the /event run and not the trivial endpoint's that follows)
set -euo pipefail
FILE=$1
TOP=${2:-25}
jfr print --events jdk.ExecutionSample --stack-depth 128 "$FILE" | awk -v top="$TOP" -v from="${3:-}" -v until="${4:-}" '
  function flush() {
    if (n == 0) return
    if ((from != "" && time < from) || (until != "" && time > until)) { n = 0; return }
    samples++
    threads[thread]++
    self[frames[1]]++
    delete seen
    for (i = 1; i <= n; i++) {
      for (p = 1; p <= parts; p++) {
        if (!(p in seen) && index(frames[i], prefix[p]) == 1) { seen[p] = 1; inclusive[p]++ }
      }
    }
    n = 0
  }
  BEGIN {
    parts = split("reactor.netty. io.netty. org.springframework.web. org.springframework.http. reactor.core. " \
      "io.micrometer.observation. io.micrometer.tracing. io.micrometer.core. io.opentelemetry. " \
      "software.amazon.awssdk. tools.jackson. com.fasterxml.jackson. com.google.protobuf. " \
      "org.reactivetracking. io.lettuce. java.util.UUID sun.security. org.springframework.boot.actuate. " \
      "software.amazon.awssdk.enhanced. com.amazonaws.services.dynamodbv2. org.springframework.cloud.", prefix, " ")
  }
  /^jdk.ExecutionSample/ { flush(); next }
  /startTime = / { time = $3; next }
  /sampledThread = / { thread = $0; sub(/.*sampledThread = "/, "", thread); sub(/".*/, "", thread); gsub(/[0-9]+/, "N", thread); next }
  /line:/ { f = $0; sub(/^[ \t]+/, "", f); sub(/\(.*/, "", f); frames[++n] = f; next }
  END {
    flush()
    printf "samples: %d\n-- threads\n", samples
    for (t in threads) printf "%5.1f%%  %s\n", 100 * threads[t] / samples, t | "sort -rn | head -8"
    close("sort -rn | head -8")
    printf "-- top frames (self)\n"
    for (f in self) printf "%5.1f%%  %s\n", 100 * self[f] / samples, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
    printf "-- parts (inclusive: samples whose stack passes through them)\n"
    for (p = 1; p <= parts; p++) if (inclusive[p]) printf "%5.1f%%  %s\n", 100 * inclusive[p] / samples, prefix[p] | "sort -rn"
    close("sort -rn")
  }'
