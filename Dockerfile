# spot in a container: `docker compose up -d` (compose.yaml), or
#   docker build -t spot . && docker run -d -p 8080:8080 -p 50000:50000/udp -v spot-data:/data spot
# The first start prints the admin's generated password to the log (`docker logs`).

# Build: Rust, and Node.js 20+ for the web client (build.rs bundles it); cmake for the bundled libopus.
FROM rust:1-trixie AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends cmake nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin spot \
    && install -m 0755 target/release/spot /spot

# Run: a small Debian with CA certificates (link previews, OIDC), as an unprivileged user, data in /data.
FROM debian:trixie-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin spot \
    && mkdir /data && chown spot:spot /data
COPY --from=build /spot /usr/local/bin/spot
COPY deploy/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER spot
VOLUME /data
# The web and API port; the voice media port (UDP) — publish both.
EXPOSE 8080/tcp 50000/udp
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["spot", "--config", "/data/spot.toml", "healthcheck"]
ENTRYPOINT ["docker-entrypoint.sh"]
