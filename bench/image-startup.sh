#!/usr/bin/env bash
# Start-up of the app *image*: ready time (container start to the first /readyz 200) of the unpacked app image run
# as the Deployment's pod (read-only root, uid 10001, the manifest's args and env), in interleaved rounds of: a JDK 17
# image as built and with an AppCDS archive, a JDK 25 image as built and its -Pimage-aot build (the AOT cache); each
# archive written by a training run of that image's own JVM. The images are built as ImageIT builds them (Jib onto a
# base jlinked from a JDK here: JDK 17 = the JDK that runs Maven; JDK 25 = SURGE_IMAGE_JDK (a JDK home) or JAVA25
# (its bin/java), default /usr/lib/jvm/temurin-25-jdk-<arch>). Needs root, like ImageIT. Prints medians, min, max and
# `uptime` before and after.
#
#   bench/image-startup.sh            # 5 interleaved starts of each
#   STARTS=9 JAVA25=/opt/jdk-25/bin/java bench/image-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "# image start-up bench $(date -u +%FT%TZ) on $(nproc) cores; $(uptime)"
./mvnw -B verify -pl system-test -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ImageStartupBench -Dsurge.bench.starts="${STARTS:-5}" \
  | grep -E '^(images:|training|surge-app\.|image start|  )|Tests run:|FAIL|ERROR'
