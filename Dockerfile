# callqa: one image for `callqa analyze`, the queue workers and the API.
#   docker build -t callqa .                                   # whisper-cli built, no model inside
#   docker build --build-arg WHISPER_MODEL=base -t callqa .    # also downloads models/ggml-base.bin at build
#   docker run --rm -v "$PWD/calls:/calls" -v callqa-data:/data callqa analyze /calls
# Models can instead be mounted at run time: -v "$PWD/models:/app/models:ro".

# ---- build: npm dependencies and whisper-cli (compiled from nodejs-whisper's bundled whisper.cpp) ----
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake g++ make python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# onnxruntime-node (a dev-only benchmark dependency) must not fetch CUDA binaries: .npmrc skips that.
# npm install rather than npm ci: the lock file lacks optional platform packages of msgpackr-extract
# (see .ci/setup.sh); npm install still installs the locked versions. Its `prepare` compiles src/ to dist/
# (TypeScript is a dev dependency), then the dev dependencies are pruned.
RUN npm install --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund
# Portable build: the image may run on another CPU than the one that built it.
ENV CALLQA_WHISPER_CMAKE_ARGS=-DGGML_NATIVE=OFF
RUN npx tsx src/transcribe/build-cli.ts
ARG WHISPER_MODEL=""
RUN if [ -n "$WHISPER_MODEL" ]; then npx tsx src/cli/main.ts models download "$WHISPER_MODEL"; fi

# ---- runtime: Debian's ffmpeg (security updates), no compilers, non-root ----
FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe \
    CALLQA_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
ENTRYPOINT ["tini", "--", "node", "dist/cli/main.js"]
CMD ["--help"]
