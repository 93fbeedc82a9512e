#!/usr/bin/env bash
# Start-up of the app *image*: ready time (container start to the first /readyz 200) of the unpacked app image run
# as the Deployment's pod (read-only root, uid 10001, the manifest's args and env), with the JDK's default CDS
# archive (as built), with -Xshare:off, and with an AppCDS archive written by the image's own JVM in a training run.
# The images are built as ImageIT builds them (Jib onto a base from this JDK). Needs root, like ImageIT.
#
#   bench/image-startup.sh            # 5 interleaved starts of each
#   STARTS=9 bench/image-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B verify -pl system-test -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ImageStartupBench -Dsurge.bench.starts="${STARTS:-5}" \
  | grep -E '^(images:|AppCDS|image start|  |training)|Tests run:|FAIL|ERROR'
