# Paddock's container image: built in one stage, run from a second one that holds only the
# compiled server and its production dependencies, as a non-root user, on a read-only root
# file system (everything it writes goes to PADDOCK_DATA_DIR, a volume).
#   docker build -t paddock .
#   docker run --read-only -v paddock-data:/var/lib/paddock -p 8443:8443 paddock
# deploy/helm/paddock runs it on Kubernetes (readOnlyRootFilesystem, runAsNonRoot).

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.json \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PADDOCK_DATA_DIR=/var/lib/paddock \
    PADDOCK_PORT=8443
WORKDIR /opt/paddock
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
RUN mkdir -p /var/lib/paddock && chown 10001:10001 /var/lib/paddock
USER 10001:10001
VOLUME ["/var/lib/paddock"]
EXPOSE 8443
ENTRYPOINT ["node", "dist/src/main.js"]
CMD ["serve"]
