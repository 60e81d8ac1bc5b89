#!/usr/bin/env bash
# Installs the Node gRPC test server's dependencies (@grpc/grpc-js and
# grpc-health-check, pinned by package-lock.json) from the npm registry into
# tests/grpc/node/node_modules. The gRPC probe tests use them when present;
# under CI=true they require them. Run it once per checkout (CI: before the
# tests).
set -euo pipefail
cd "$(dirname "$0")/node"
npm ci --no-audit --no-fund --ignore-scripts
