#!/usr/bin/env bash
# Issue 18, on a real GPU: run from the unpacked bundle (bench/gpu-bundle.sh). Needs the NVIDIA
# driver, nvidia-smi, Python 3 with PyTorch (CUDA) for the busy step; no Node, no network.
# Prints counter energy vs integrated samples per step (idle / busy / idle), idle power, the
# counter's update period and whether nvidia-smi flushes each -lms line into a pipe.
#   gpu-check/gpu-check.sh [--idle-s 20] [--busy-s 20] [--smi-ms 100] [--busy-cmd CMD]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
if [ ! -x ./node ]; then
  if command -v xz >/dev/null; then
    xz -dc node.xz > node
  else
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open("node.xz"), open("node", "wb"))'
  fi
  chmod +x node
fi
./node --version
if ! command -v nvidia-smi >/dev/null; then
  echo "nvidia-smi not found on PATH" >&2
  exit 1
fi
nvidia-smi --query-gpu=index,name,driver_version,power.limit --format=csv
if ! python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  echo "warning: PyTorch with CUDA is not importable; the busy step will not load the GPU (pass --busy-cmd)" >&2
fi
./node dist/bench/gpu-check.js --out "$here/gpu-check-result.json" "$@" 2>&1 | tee "$here/gpu-check-result.txt"
