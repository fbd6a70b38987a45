#!/usr/bin/env bash
# A self-signed certificate in deploy/certs/ for trying docker compose before the
# real one arrives (browsers will warn). Replace fullchain.pem and privkey.pem with
# the certificate of your domain, then `docker compose restart proxy`.
#
#   bash scripts/self-signed-cert.sh cchc.example.gov.vn
set -euo pipefail
cd "$(dirname "$0")/.."
host=${1:?usage: scripts/self-signed-cert.sh HOST_NAME}
mkdir -p deploy/certs
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
    -keyout deploy/certs/privkey.pem -out deploy/certs/fullchain.pem \
    -subj "/CN=$host" -addext "subjectAltName=DNS:$host"
chmod 600 deploy/certs/privkey.pem
echo "deploy/certs/fullchain.pem and privkey.pem written for $host (self-signed)."
