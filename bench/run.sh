#!/usr/bin/env bash
# The benchmark suite: builds the jar with the bench sources (Maven profile "bench", tests skipped),
# then runs the harness, which writes BENCHMARKS.md in the project root. About 5 minutes. The simulated
# 100,000-OST tree (1.2 million files, ~5 GB) goes to /dev/shm when it has 8 GiB free, else under the
# work directory (default /tmp/lustre-collector-bench); it is removed at the end.
#   bash bench/run.sh [--work DIR] [--tree EXISTING_TREE] [--quick] [--out FILE] [--only PART]
# --only ingest|scan|api|storm: one part alone, for iterating, not for BENCHMARKS.md (api runs over a
# small tree in about 2 minutes; scan and storm over the 100,000-OST tree).
# Collector JVM flags: BENCH_COLLECTOR_FLAGS="..." (default: Bench.COLLECTOR_FLAGS).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbench -DskipTests -DskipITs package
props=()
if [[ -n "${BENCH_COLLECTOR_FLAGS:-}" ]]; then
  props+=("-Dbench.collector.flags=${BENCH_COLLECTOR_FLAGS}")
fi
exec java -Xms512m -Xmx1g -XX:+UseSerialGC "${props[@]}" \
  -cp target/test-classes:target/lustre-collector.jar org.lustre.collector.bench.Bench \
  --jar target/lustre-collector.jar --classes target/test-classes --out BENCHMARKS.md "$@"
