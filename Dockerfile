# One image, two commands: the web server (default) or the worker (`node --import tsx worker/index.ts`).
# Build: docker build -t lastyear-fm .     Run: see docs and docker-compose.yml.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/schema-engine-wasm.mjs ./scripts/schema-engine-wasm.mjs
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
# The standalone server carries only the modules it traced; the worker and migrations need the full set.
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/generated ./generated
COPY --from=build --chown=node:node /app/lib ./lib
COPY --from=build --chown=node:node /app/worker ./worker
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/prisma.config.ts /app/package.json /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/scripts/schema-engine-wasm.mjs ./scripts/schema-engine-wasm.mjs
USER node
EXPOSE 3000
# Migrations run before the web server starts; the worker image command skips them.
CMD ["sh", "-c", "node node_modules/prisma/build/index.js migrate deploy && exec node server.js"]
