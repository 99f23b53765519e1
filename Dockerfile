# The TradeSim simulator: `docker build -t tradesim .`, then
# `docker run -p 8000:8000 tradesim --scenario crisis --seed 7`. docker-compose.yml runs
# it beside Prometheus, Alertmanager, the Pushgateway and Grafana.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts/build.mjs scripts/
COPY src src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The bundled CLI, the runtime packages it loads (fastify, prom-client, uPlot...), the
# presets, and the live page's files, which it serves from src/.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY scenarios scenarios
COPY src/monitoring/live/page src/monitoring/live/page
RUN mkdir /data && chown node /data
USER node
EXPOSE 8000
# Listen beyond the container's loopback; the snapshots go to the /data volume. Variables,
# not flags: a flag given to `docker run` (--host, --jsonl, --no-server) then takes their place.
ENV TRADESIM_HOST=0.0.0.0 TRADESIM_JSONL=/data/metrics.jsonl
ENTRYPOINT ["node", "dist/cli/tradesim.mjs"]
CMD ["--scenario", "default"]
