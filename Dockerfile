# costbench in a container: the image the Kubernetes CronJob of `costbench schedule --print-k8s` runs.
# Written and checked as text (test/k8s-manifests.test.ts); no Docker engine ran where it was written, so
# it has not been built. Build: docker build -t costbench:0.1.0 .
#
# GPU power is read through the host driver: on NVIDIA nodes the container toolkit mounts nvidia-smi and
# NVML into the container (NVIDIA_DRIVER_CAPABILITIES=compute,utility, set by the printed manifests); on
# AMD nodes /sys/class/drm/*/device/hwmon is read from the container's /sys.

FROM node:20-bookworm-slim AS build
WORKDIR /src
# npm ci runs the package's prepare script (the TypeScript build), so the sources come first.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY test/support ./test/support
COPY bench ./bench
COPY scripts/bin-executable.mjs ./scripts/
RUN npm ci && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /opt/costbench
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
COPY package.json ./
COPY migrations ./migrations
COPY data ./data
COPY bench/suites ./bench/suites
RUN chmod 755 dist/src/cli/main.js && ln -s /opt/costbench/dist/src/cli/main.js /usr/local/bin/costbench
ENTRYPOINT ["costbench"]
CMD ["--help"]
