# syntax=docker/dockerfile:1
# Build stage: full install (TypeScript is a dev dependency), compile src/ to dist/, then drop the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY src ./src
RUN node scripts/build.mjs && npm prune --omit=dev

# Runtime stage: plain Node on the compiled JavaScript, production dependencies only, non-root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data MODELS_DIR=/app/models
WORKDIR /app
COPY package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY models ./models
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# The API answers /healthz; a worker has no port (docker-compose.yml disables the check for it).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# One image, two roles: `docker run ess` (or `ess api`) runs dist/server.js, the API; `docker run ess worker` runs
# dist/worker.js, the job worker (PostgreSQL deployments, see docs/SCALE-OUT.md).
ENTRYPOINT ["node", "dist/main.js"]
CMD ["api"]
