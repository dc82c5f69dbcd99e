# syntax=docker/dockerfile:1
# Build stage: full install, type-check, then a production-only node_modules.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY test ./test
COPY bench ./bench
RUN npx tsc --noEmit -p tsconfig.json && npm ci --omit=dev

# Runtime stage: non-root, only what serving needs.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data MODELS_DIR=/app/models
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY models ./models
COPY openapi ./openapi
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The API answers /healthz; a worker has no port (docker-compose.yml disables the check for it).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# One image, two roles: `docker run ess` (or `ess api`) serves the API; `docker run ess worker` runs jobs
# (PostgreSQL deployments, see docs/SCALE-OUT.md).
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["api"]
