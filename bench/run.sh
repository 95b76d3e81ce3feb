#!/usr/bin/env bash
# The benchmark suite: builds the jar with the bench sources (Maven profile "bench", tests skipped),
# then runs the harness, which writes BENCHMARKS.md in the project root. About 20 minutes. The simulated
# 100,000-OST tree (1.2 million files, ~5 GB) goes to /dev/shm when it has 8 GiB and 1.3 million inodes
# free, else under the work directory (default /tmp/lustre-collector-bench); it is removed at the end.
#   bash bench/run.sh [--work DIR] [--tree EXISTING_TREE] [--quick] [--out FILE] [--only PART]
# --only ingest|scan|detect|longrun|api|storm|alerts|peers|tricks: one part alone, for iterating, not for
# BENCHMARKS.md (api runs over a small tree, tricks over none; the others over the 100,000-OST tree).
# Every collector figure comes for each JVM setup: the plain `java -jar` (no flags), the packaged flags
# (BENCH_COLLECTOR_FLAGS="..." to try others; default Bench.COLLECTOR_FLAGS) and, where the collectors
# run at once, the JVM defaults (LUSTRE_COLLECTOR_JAVA_OPTS=none). The intake peer needs rsyslog
# (`apt-get install -y rsyslog`); the scrape-loop peer is bench/scrape-loop.sh.
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
