#!/usr/bin/env bash
# Messages/s through a cluster of N chatgate nodes on this machine (issue 7): N gateway processes
# on one PostgreSQL database (127.0.0.1:5432, trust) and a private nats-server with JetStream,
# loaded by ChatLoad over HTTP with every push crossing nodes. Build first:
#   ./mvnw -q install -DskipTests -DskipITs
# then, for 1, 2 and 3 nodes:
#   bench/cluster-bench.sh 1 ; bench/cluster-bench.sh 2 ; bench/cluster-bench.sh 3
# Extra arguments go to ChatLoad (default: --rate 0 --concurrency 64); WARMUP (default 30) and
# SECONDS_MEASURED (default 30) set its warm-up and measured seconds.
# CLUSTER=off runs one node without [cluster] on the same PostgreSQL: the single-node baseline.
# It prints the CPU seconds the nodes, nats-server and PostgreSQL used in the measured seconds
# (the warm-up, JIT included, is left out).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
. scripts/find-jdk.sh
chatgate_find_jdk || exit 1
n=${1:?usage: bench/cluster-bench.sh NODES [ChatLoad args]}
shift
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--rate 0 --concurrency 64)
warmup=${WARMUP:-30}
measured=${SECONDS_MEASURED:-30}
args+=(--warmup "$warmup" --seconds "$measured")
jar=app/target/chatgate.jar
[ -f "$jar" ] && [ -f bench/target/bench.jar ] || { echo "build first: ./mvnw -q install -DskipTests -DskipITs" >&2; exit 1; }

work=$(mktemp -d /tmp/cluster-bench.XXXXXX)
db="chatgate_bench_$$"
natsport=$(( 14000 + $$ % 1000 ))
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" postgres
/usr/sbin/nats-server -a 127.0.0.1 -p "$natsport" -js -sd "$work/js" > "$work/nats.log" 2>&1 &
pids+=($!)
nodes=()
for i in $(seq 1 "$n"); do
  port=$(( 18080 + i ))
  cat > "$work/node$i.toml" <<TOML
[http]
listen = "127.0.0.1:$port"
trusted_proxies = ["127.0.0.1/32"]
[store]
url = "jdbc:postgresql://127.0.0.1:5432/$db"
user = "postgres"
[simulator]
listen = "127.0.0.1:0"
[log]
level = "warn"
TOML
  if [ "${CLUSTER:-on}" != off ]; then
    printf '[cluster]\nnats_url = "nats://127.0.0.1:%s"\nnode_id = "n%s"\n' "$natsport" "$i" >> "$work/node$i.toml"
  fi
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -jar "$jar" run --config "$work/node$i.toml" \
    > "$work/node$i.log" 2>&1 &
  pids+=($!)
  nodes+=("http://127.0.0.1:$port")
done
for url in "${nodes[@]}"; do
  for _ in $(seq 1 120); do
    curl -sf "$url/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "$url/readyz" >/dev/null || { echo "node $url not ready:"; tail -20 "$work"/node*.log; exit 1; }
done
echo "cluster-bench: $n node(s) ready: ${nodes[*]}"
list=$(IFS=,; echo "${nodes[*]}")
# CPU time (user+system, in clock ticks) of a set of processes.
ticks() { local t=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$(( t + $(awk '{print $14+$15}' "/proc/$p/stat") )); done; echo $t; }
pg_pids() { pgrep -u postgres postgres | tr '\n' ' '; }
hz=$(getconf CLK_TCK)
node_pids=("${pids[@]:1}")
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp bench/target/bench.jar chatgate.bench.ChatLoad \
  --nodes "$list" "${args[@]}" > "$work/load.out" 2>&1 &
load=$!
sleep $(( warmup + 3 ))  # streams open and settle (~2 s), then the warm-up
# Per-thread CPU of node 1 (THREADS=1): shows whether the JIT is still compiling, and where the rest goes.
threads() { for t in /proc/${node_pids[0]}/task/*; do echo "$(tr -d ' ' < "$t/comm" | sed 's/[0-9]\+/N/g') $(awk '{print $14+$15}' "$t/stat")"; done 2>/dev/null | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort; }
[ "${THREADS:-0}" = 1 ] && threads > "$work/t0"
n0=$(ticks "${node_pids[@]}"); s0=$(ticks "${pids[0]}"); p0=$(ticks $(pg_pids))
sleep "$measured"
n1=$(ticks "${node_pids[@]}"); s1=$(ticks "${pids[0]}"); p1=$(ticks $(pg_pids))
if [ "${THREADS:-0}" = 1 ]; then
  threads > "$work/t1"
  echo "node 1 CPU seconds by thread in the measured window:"
  join -a 2 "$work/t0" "$work/t1" | awk -v hz="$hz" 'NF==3 {d=$3-$2} NF==2 {d=$2} d>0 {printf "  %-24s %.1f\n", $1, d/hz}' | sort -k2 -rn | head -8
fi
wait "$load" || true
cat "$work/load.out"
awk -v n=$(( n1 - n0 )) -v s=$(( s1 - s0 )) -v p=$(( p1 - p0 )) -v hz="$hz" -v sec="$measured" 'BEGIN {
  printf "cpu seconds in the measured %d s: nodes %.1f, nats-server %.1f, postgres %.1f\n", sec, n/hz, s/hz, p/hz }'
