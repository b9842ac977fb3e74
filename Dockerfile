# Tributary broker image.
#
#   docker build -t tributary:0.1.0 .
#   docker run -p 8080:8080 -v tributary-data:/data tributary:0.1.0
#
# Stage 1 builds the Spring Boot jar with the Maven wrapper and splits it into layers, so that a
# code change rebuilds only the small application layer. Stage 2 runs it on a JRE as a non-root
# user, with its data (partition logs, H2 database, embedded ZooKeeper) on the /data volume.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q -Dmaven.test.skip=true dependency:go-offline
COPY src src
RUN ./mvnw -B -q -Dmaven.test.skip=true package \
    && java -Djarmode=tools -jar target/tributary-*.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="Tributary" \
      org.opencontainers.image.description="A Kafka-style distributed event log with an HTTP and WebSocket front" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 1001 tributary \
    && useradd --system --uid 1001 --gid tributary --home-dir /app --shell /usr/sbin/nologin tributary \
    && mkdir -p /data /app \
    && chown tributary:tributary /data /app
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY application.yml ./application.yml
COPY src/main/docker/entrypoint.sh /usr/local/bin/tributary-entrypoint
ENV TRIBUTARY_DATA_DIR=/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/data"]
# 8080: REST, WebSocket, SSE, Swagger UI and actuator; 9093: replication between brokers
EXPOSE 8080 9093
USER 1001:1001
# Five misses 15 s apart before "unhealthy" also covers startup (dockerfilelint 1.8 rejects --start-period).
HEALTHCHECK --interval=15s --timeout=5s --retries=5 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q UP <&3"]
ENTRYPOINT ["/usr/local/bin/tributary-entrypoint"]
