#!/usr/bin/env bash
# Secrets for `docker compose up` on a workstation: a self-signed TLS certificate for the gRPC gateway, two API keys
# (the application's and the operator's), the identity key secret and the customer-token secret. Writes deploy/secrets/ and .env (both ignored by
# git); the plain keys are printed once and kept in deploy/secrets/api-keys.txt (readable by you only). The engine only
# sees the keys' SHA-256. For production use certificates from your CA and keys from your secret store.
set -euo pipefail
cd "$(dirname "$0")/.."
secrets=deploy/secrets
if [[ -e .env || -e $secrets/engine.crt ]]; then
  echo "deploy/secrets or .env already exist; remove them to make new secrets" >&2
  exit 1
fi
mkdir -p "$secrets"

openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=profilegrains-dev" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,DNS:silo1,DNS:silo2" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$secrets/engine.key" -out "$secrets/engine.crt" 2>/dev/null
# The engine runs as the image's unprivileged user, which must read the key through the bind mount.
chmod 644 "$secrets/engine.key" "$secrets/engine.crt"

app_key="pg_app_$(openssl rand -hex 24)"
ops_key="pg_ops_$(openssl rand -hex 24)"
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
umask 077
cat > .env <<ENV
PROFILEGRAINS_APP_KEY_SHA256=$(sha256 "$app_key")
PROFILEGRAINS_OPS_KEY_SHA256=$(sha256 "$ops_key")
PROFILEGRAINS_IDENTITY_KEY_SECRET=$(openssl rand -hex 32)
PROFILEGRAINS_CUSTOMER_TOKEN_SECRET=$(openssl rand -hex 32)
ENV
printf 'app (ingest, lookup, self-service): %s\nops (lookup, read, segments:write, privacy, admin): %s\n' "$app_key" "$ops_key" > "$secrets/api-keys.txt"

cat "$secrets/api-keys.txt"
echo "certificate: $secrets/engine.crt (clients trust it with PROFILEGRAINS_TLS_CA=$secrets/engine.crt)"
