#!/usr/bin/env bash
# The peer the benchmark sets beside the collector: what a cron job with `lctl get_param` does, as a
# plain shell loop. Every INTERVAL seconds it reads, for every OST, what the collector needs to tell
# a deactivated or disconnected one: each file system's lod target_obd (ACTIVE/INACTIVE) and every
# OST's ost_server_uuid (FULL/DISCONN...), with cat (through find | xargs, since 100,000 paths do not
# fit on one command line), and prints each OST whose state changed since the cycle before:
#   EPOCH_MILLIS NAME_UUID obd|conn STATE
# plus one "cycle N ms" line a cycle. Stopped by SIGTERM.
#   bash bench/scrape-loop.sh LUSTRE_ROOT INTERVAL_SECONDS
set -uo pipefail
root=$1
interval=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"; exit 0' TERM INT
: > "$dir/prev"
n=0
while :; do
  t0=$(date +%s%3N)
  {
    cat "$root"/proc/fs/lustre/lod/*/target_obd | awk '{print $2, "obd", $3}'
    find "$root/sys/kernel/debug/lustre/osp" -name ost_server_uuid -print0 | xargs -0 cat \
      | awk '{print $1, "conn", $2 ($3 == "" ? "" : "," $3)}'
  } > "$dir/cur"
  now=$(date +%s%3N)
  if [[ $n -gt 0 ]]; then
    awk -v now="$now" 'NR == FNR { p[$1 " " $2] = $3; next } p[$1 " " $2] != $3 { print now, $0 }' \
      "$dir/prev" "$dir/cur"
  fi
  mv "$dir/cur" "$dir/prev"
  n=$((n + 1))
  echo "cycle $n $((now - t0)) ms"
  sleep "$interval" & wait $!
done
