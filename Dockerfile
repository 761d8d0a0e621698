# grok-server image: the release layout (jlink runtime + jars, no JDK) on Debian slim, run as a non-root user.
#   docker build -t grok-server .
#   docker run -p 8080:8080 -p 4443:4443 -p 4040:4040 -v grok-data:/var/lib/grok grok-server
# Every option through GROK_* variables (-e GROK_DOMAIN=tunnel.example.com, GROK_DB_URL=jdbc:postgresql://...);
# arguments go to grok-server (docker run ... grok-server token create laptop). compose.yaml adds PostgreSQL.
# BUILD_IMAGE and BASE_IMAGE let a build use local copies of these images.
ARG BUILD_IMAGE=eclipse-temurin:25-jdk
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# The release profile's package phase makes dist/target/release/grok-VERSION (runtime/, lib/, bin/, ...).
RUN ./mvnw -B -q -Prelease -DskipTests package -pl dist -am \
 && mkdir -p /out && mv dist/target/release/grok-* /out/grok

FROM ${BASE_IMAGE}
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/grok --shell /usr/sbin/nologin grok \
 && mkdir -p /var/lib/grok && chown grok:grok /var/lib/grok && chmod 700 /var/lib/grok
COPY --from=build /out/grok /opt/grok
COPY docker/healthcheck /opt/grok/bin/healthcheck
ENV PATH=/opt/grok/bin:$PATH \
    GROK_DATA_DIR=/var/lib/grok
VOLUME /var/lib/grok
WORKDIR /var/lib/grok
USER grok
EXPOSE 8080 8443 4443 4040
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["/opt/grok/bin/healthcheck"]
ENTRYPOINT ["/opt/grok/bin/grok-server"]
