# The API and the worker (docker-compose.yml runs `npm run api` and `npm run worker` from it).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Exactly the lock file's versions; NODE_ENV=production leaves out the dev dependencies.
RUN npm ci --no-audit --no-fund
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
