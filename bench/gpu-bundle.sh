#!/usr/bin/env bash
# Builds dist/gpu-check.tar.gz for a GPU machine that has the driver, nvidia-smi and Python with
# PyTorch, but no Node and no network: this machine's Node binary (xz-compressed), the built
# dist/src and dist/bench, koffi with its linux-x64 prebuilt, and bench/gpu-check.sh to run it.
# There: tar xzf gpu-check.tar.gz && gpu-check/gpu-check.sh   (usage: npm run gpu-bundle)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
npm run build --silent
out="$root/dist/gpu-check.tar.gz"
limit=$((64 * 1024 * 1024))
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
bundle="$stage/gpu-check"
mkdir -p "$bundle/dist" "$bundle/node_modules/@koromix"
cp -r dist/src dist/bench "$bundle/dist/"
find "$bundle/dist" -name '*.map' -delete
printf '{ "type": "module", "private": true }\n' > "$bundle/package.json"
cp -r node_modules/koffi "$bundle/node_modules/"
cp -r node_modules/@koromix/koffi-linux-x64 "$bundle/node_modules/@koromix/"
cp bench/gpu-check.sh "$bundle/"
chmod +x "$bundle/gpu-check.sh"
node_bin=$(node -p process.execPath)
echo "compressing $node_bin ($(node -p process.version)) with xz..."
xz -T0 -6 -c "$node_bin" > "$bundle/node.xz"
tar -C "$stage" -czf "$out" gpu-check
size=$(stat -c %s "$out")
echo "$out: $((size / 1024 / 1024)) MiB"
if [ "$size" -ge "$limit" ]; then
  echo "over the 64 MiB limit" >&2
  exit 1
fi
