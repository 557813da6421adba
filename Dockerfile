# syntax=docker/dockerfile:1
# Build: compile TypeScript with the full dependency set.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# Runtime: compiled output and production dependencies, as the unprivileged `node` user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 4000
# Without ACK_ENDPOINT or credentials the gateway serves from its embedded ACK simulator.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The V8 flags of npm start (package.json config.nodeFlags), chosen by measurement on repeated and
# distinct queries (docs/performance.md): a 4 MB young generation; no allocation-site
# pretenuring, which otherwise takes short-lived request objects for long-lived ones at random
# and sends them straight to the old generation; an old generation that grows by a fifth of its
# live size between full collections (V8 grows it up to 4x on a large machine); and no Maglev
# tier, whose concurrent compilations held 25 MB of malloc memory under load.
CMD ["node", "--max-semi-space-size=4", "--no-allocation-site-pretenuring", "--heap-growing-percent=20", "--no-maglev", "dist/main.js"]
