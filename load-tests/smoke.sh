#!/usr/bin/env bash
# A few seconds of every kind of load against a freshly started engine, with the correctness check, so the harness
# keeps working. Ports differ from the defaults so a developer's running engine is never disturbed.
set -euo pipefail
cd "$(dirname "$0")/.."
grpc_port=${SMOKE_GRPC_PORT:-5190}
log=$(mktemp)

dotnet build -c Release -nologo -clp:ErrorsOnly src/ProfileGrains.Host/ProfileGrains.Host.csproj
dotnet build -c Release -nologo -clp:ErrorsOnly load-tests/ProfileGrains.LoadTests/ProfileGrains.LoadTests.csproj

src/ProfileGrains.Host/bin/Release/net10.0/ProfileGrains.Host \
  --ProfileGrains:GrpcPort="$grpc_port" --ProfileGrains:WebPort=-1 --ProfileGrains:SiloPort=11190 --ProfileGrains:GatewayPort=30190 \
  --ProfileGrains:ClusterId=smoke >"$log" 2>&1 &
engine=$!
trap 'kill "$engine" 2>/dev/null || true; wait "$engine" 2>/dev/null || true' EXIT

for _ in $(seq 1 60); do
  if grep -q "listening on" "$log"; then break; fi
  if ! kill -0 "$engine" 2>/dev/null; then cat "$log"; echo "engine exited"; exit 1; fi
  sleep 1
done
grep -q "listening on" "$log" || { cat "$log"; echo "engine not ready after 60 s"; exit 1; }

echo "== load-test smoke (mixed, 3 s) against 127.0.0.1:$grpc_port"
load-tests/ProfileGrains.LoadTests/bin/Release/net10.0/ProfileGrains.LoadTests run --scenario mixed \
  --target "http://127.0.0.1:$grpc_port" --duration 3s --warmup 1s --customers 200 --concurrency 8 \
  --plain --out "$(mktemp -d)"
