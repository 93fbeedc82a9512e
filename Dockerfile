# Container images for both jars, on an Eclipse Temurin JRE base.
#   docker build --target app     -t ghcr.io/surge-dev/surge-app:0.1.0 .
#   docker build --target loadgen -t ghcr.io/surge-dev/surge-loadgen:0.1.0 .
# (Not built in this repo's CI: the build machine has no Docker engine and no registry for base images.)

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre AS runtime-base
# A fixed non-root uid that the manifests' runAsUser matches; no shell work at run time.
USER 10001:10001
WORKDIR /app
# Container-aware heap: a share of the cgroup memory limit, not of the node's memory.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"

FROM runtime-base AS loadgen
COPY --from=build /src/loadgen/target/surge-loadgen.jar /app/surge-loadgen.jar
EXPOSE 8082
ENTRYPOINT ["java", "-jar", "/app/surge-loadgen.jar"]
CMD ["--help"]

# AppCDS: one training start on the runtime JVM itself (so the archive matches it), stopped by SIGTERM after a few
# seconds; the archive maps the app's classes at start instead of loading and verifying them (measured in
# docs/BENCHMARKS.md: median start to /readyz 0.72-0.91 s without, 0.63-0.64 s with). JDK_JAVA_OPTIONS is read by
# the java launcher only, so it survives the manifests setting JAVA_TOOL_OPTIONS.
FROM runtime-base AS app-cds
COPY --from=build /src/app/target/surge-app.jar /app/surge-app.jar
USER root
RUN timeout -s TERM 8 java -XX:ArchiveClassesAtExit=/app/surge-app.jsa -jar /app/surge-app.jar \
      --port 0 --metrics-port 0 --drain-delay 0ms || true; test -s /app/surge-app.jsa

FROM runtime-base AS app
COPY --from=build /src/app/target/surge-app.jar /app/surge-app.jar
COPY --from=app-cds /app/surge-app.jsa /app/surge-app.jsa
ENV JDK_JAVA_OPTIONS="-XX:SharedArchiveFile=/app/surge-app.jsa"
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/surge-app.jar"]
