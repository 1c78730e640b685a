#!/usr/bin/env bash
# Regenerates the test-only TLS files in this folder (run once; the output is
# committed so tests need no openssl). Never trust this CA anywhere: its key
# is public.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# The test CA.
key ca-key.pem
openssl req -x509 -new -key ca-key.pem -sha256 -days "$days" \
  -subj "/CN=Switchyard test CA (never trust)" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# A server certificate for loopback: localhost, 127.0.0.1 and ::1.
key server-key.pem
openssl req -new -key server-key.pem -subj "/CN=localhost" -out "$tmp/server.csr"
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" >"$tmp/server.ext"
openssl x509 -req -in "$tmp/server.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
  -days "$days" -sha256 -extfile "$tmp/server.ext" -out server.pem

# A client certificate, for upstreams that check one (mutual TLS).
key client-key.pem
openssl req -new -key client-key.pem -subj "/CN=switchyard-test-client" -out "$tmp/client.csr"
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=clientAuth" >"$tmp/client.ext"
openssl x509 -req -in "$tmp/client.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
  -days "$days" -sha256 -extfile "$tmp/client.ext" -out client.pem
# The single-file form (certificate then key) that LiteLLM's ssl_certificate takes.
cat client.pem client-key.pem >client-bundle.pem

# The CA key is not kept: nothing else is ever signed with it.
rm -f ca.srl ca-key.pem
