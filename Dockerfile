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

FROM runtime-base AS app
COPY --from=build /src/app/target/surge-app.jar /app/surge-app.jar
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/surge-app.jar"]
