#!/usr/bin/env bash
# Kannel 1.4.5 (Debian's) and chatgate side by side: the same MT load through both /cgi-bin/sendsms
# endpoints to the same npm SMSC peer, alternating, then the ratio (issue 17; docs/benchmarks.md).
# Usage: bench/kannel-side-by-side.sh [messages=6000] [clients=16] [window=10] [rounds=2]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
. scripts/find-jdk.sh
chatgate_find_jdk || exit 1
if ! command -v bearerbox >/dev/null 2>&1; then
  echo "kannel-side-by-side: installing Debian's kannel"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # Keep the package from starting its own bearerbox: the harness starts one per run.
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod +x /usr/sbin/policy-rc.d
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends kannel
  $SUDO rm -f /usr/sbin/policy-rc.d
fi
if [ ! -d sms/src/test/node/node_modules ]; then
  (cd sms/src/test/node && npm ci --silent --no-audit --no-fund)
fi
./mvnw -q -B -ntp package -pl app,bench -am -DskipTests
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BASELINE_JAR:+-Dbaseline.jar="$BASELINE_JAR"} -cp bench/target/bench.jar \
  chatgate.bench.KannelSideBySide "$@"
