#!/usr/bin/env bash
# Runs one group of JMH benchmarks and writes its results as JSON under benchmarks/results/.
#   benchmarks/run.sh resolver            # io.secretfetch.benchmarks.resolver.*
#   benchmarks/run.sh mask -prof gc       # extra JMH options follow the group
#   benchmarks/run.sh bundle              # manifest validation of 10,000 refs on H2 -> results/bundle.json
# Groups: resolver, mask, platform, http, node, bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
group=${1:?usage: benchmarks/run.sh GROUP [JMH options]  (GROUP: a package under io.secretfetch.benchmarks)}
shift
./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
mkdir -p benchmarks/results
java -jar benchmarks/target/benchmarks.jar "io\.secretfetch\.benchmarks\.${group}\..*" \
  -rf json -rff "benchmarks/results/${group}.json" "$@"
