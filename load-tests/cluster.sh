#!/usr/bin/env bash
# Durable ingest, measured: a throwaway PostgreSQL, two silos in postgres mode sharing it (one cluster), and the
# load-test harness against both gateways, with the bare gRPC echo of the same silos measured side by side.
#   load-tests/cluster.sh [extra harness options...]     e.g. --duration 20s --concurrency 64
# Environment: SILOS (1 or 2, default 2), COMMAND (run, scale or cold, default run; cold: lookups of customers that have
# left memory, see below), SCENARIO (default ingest; a list such as
# lookup,pos,track,batch measures each after its own echo on one loaded population),
# INGEST_MODE (track|batch, default track),
# PG_PORT (default 55600), ENGINE_BIN (the engine to run, default the Release build; e.g. a ReadyToRun publish), ENGINE_ARGS (extra engine options, e.g. "--ProfileGrains:Postgres:JournalWriters=4"). Every server listens on 127.0.0.1 only and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
command=${COMMAND:-run}
engine_args=${ENGINE_ARGS:-}
# Customers leave memory 90 s after their last call (more than the collector's one-minute quantum), not 15 minutes.
[ "$command" = cold ] && engine_args="--ProfileGrains:CustomerIdleAge=00:01:30 $engine_args"
silos=${SILOS:-2}
scenario=${SCENARIO:-ingest}
ingest_mode=${INGEST_MODE:-track}
pg_port=${PG_PORT:-55600}
pg_bin=${PROFILEGRAINS_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL binaries not found (apt-get install -y postgresql, or set PROFILEGRAINS_PG_BIN)"; exit 1; }

work=$(mktemp -d)
pids=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  as_pg "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$work"

dotnet build -c Release -nologo -clp:ErrorsOnly src/ProfileGrains.Host/ProfileGrains.Host.csproj
dotnet build -c Release -nologo -clp:ErrorsOnly load-tests/ProfileGrains.LoadTests/ProfileGrains.LoadTests.csproj
[ "$command" = cold ] && dotnet build -c Release -nologo -clp:ErrorsOnly src/ProfileGrains.Cli/ProfileGrains.Cli.csproj

echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (synchronous_commit on, fsync on)"
as_pg "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
"$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE profilegrains" >/dev/null
connection="Host=127.0.0.1;Port=$pg_port;Database=profilegrains;Username=postgres"

targets=()
for i in $(seq 1 "$silos"); do
  grpc=$((5280 + i)); web=$((5380 + i)); silo=$((11280 + i)); gateway=$((30280 + i))
  ${ENGINE_BIN:-src/ProfileGrains.Host/bin/Release/net10.0/ProfileGrains.Host} \
    --ProfileGrains:Storage=postgres --ProfileGrains:Postgres:ConnectionString="$connection" --ProfileGrains:Postgres:ProviderConnections=64 \
    --ProfileGrains:GrpcPort=$grpc --ProfileGrains:WebPort=$web --ProfileGrains:SiloPort=$silo --ProfileGrains:GatewayPort=$gateway \
    --ProfileGrains:ClusterId=loadtest --ProfileGrains:ServiceId=loadtest $engine_args >"$work/silo$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 90); do
    grep -q "listening on" "$work/silo$i.log" && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/silo$i.log"; echo "silo $i exited"; exit 1; }
    sleep 1
  done
  grep -q "listening on" "$work/silo$i.log" || { cat "$work/silo$i.log"; echo "silo $i not ready"; exit 1; }
  targets+=("http://127.0.0.1:$grpc")
done
target=$(IFS=,; echo "${targets[*]}")
active=$("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d profilegrains -Atc "SELECT count(*) FROM orleansmembershiptable WHERE status = 3")
echo "== $silos silo(s) started, $active active in the membership table; targets $target"

harness=load-tests/ProfileGrains.LoadTests/bin/Release/net10.0/ProfileGrains.LoadTests
if [ "$command" = scale ]; then
  "$harness" scale --target "$target" --server-pid "${pids[0]}" "$@"
elif [ "$command" = cold ]; then
  # Load the population (--customers N among the options), wait until the collector has taken every customer out of
  # memory (identity shards stay), then look them up for 8 s: nearly every lookup reads a customer back from storage.
  "$harness" run --scenario lookup --target "$target" --server-pid "${pids[0]}" --plain --duration 2s --warmup 1s "$@"
  for _ in $(seq 1 120); do
    resident=$(src/ProfileGrains.Cli/bin/Release/net10.0/pgctl --address "${targets[0]}" stats | grep '"customer"' | grep -oE '[0-9]+' || echo 0)
    echo "== customers in memory: ${resident:-0}"
    [ "${resident:-0}" -lt 1000 ] && break
    sleep 15
  done
  "$harness" run --scenario lookup --members-loaded --target "$target" --server-pid "${pids[0]}" --plain --duration 8s --warmup 0s "$@"
else
  "$harness" run --scenario "$scenario" --ingest-mode "$ingest_mode" --target "$target" --server-pid "$(IFS=,; echo "${pids[*]}")" --plain "$@"
fi
echo "== journal rows left after the run: $("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d profilegrains -Atc "SELECT count(*) FROM profilegrains_journal")"
