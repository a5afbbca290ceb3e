# The API and the worker (docker-compose.yml runs `npm run api` and `npm run worker` from it).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: see README "Set-up" (optional @swc/core builds).
RUN npm install --no-audit --no-fund
COPY tsconfig.json ./
COPY src src
COPY workflows workflows
COPY activities activities
COPY worker worker
COPY scripts scripts
# Production workers run a pre-built workflow bundle.
RUN npm run build:workflows
ENV WORKFLOW_BUNDLE=dist/workflow-bundle.js
USER node
CMD ["npm", "run", "api"]
