#!/usr/bin/env bash
# Regenerates Fixtures/models/ with PipeBound's own importer (never edit those files by hand):
#   1. downloads the onnx wheel from PyPI into Fixtures/.cache/ (pip download --no-deps; nothing is installed),
#   2. extracts the "light" models (graph and weight shapes, no weights) from onnx/backend/test/data/light/,
#   3. converts each with `pipebound convert` into Fixtures/models/<name>.json and records node counts,
#      FLOPs and MACs in Fixtures/models/manifest.json,
#   4. writes the seeded synthetic graphs (`pipebound convert --synthetic KIND:NODES:SEED`).
# Environment: PIPEBOUND (the binary; default .build/debug/pipebound, built if missing), ONNX_VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."

ONNX_VERSION="${ONNX_VERSION:-1.23.2}"
CACHE=Fixtures/.cache
MODELS=Fixtures/models
PIPEBOUND="${PIPEBOUND:-.build/debug/pipebound}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$PIPEBOUND" ]; then swift build --product pipebound; fi
mkdir -p "$CACHE" "$MODELS"

wheel=$(ls "$CACHE"/onnx-"$ONNX_VERSION"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
    "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: "onnx==$ONNX_VERSION" -d "$CACHE"
    wheel=$(ls "$CACHE"/onnx-"$ONNX_VERSION"-*.whl | head -n 1)
fi
light="$CACHE/wheel/onnx/backend/test/data/light"
"$PYTHON" - "$wheel" "$CACHE/wheel" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for member in wheel.namelist():
        if "/backend/test/data/light/" in member and member.endswith(".onnx") or member.endswith("onnx/onnx.proto"):
            wheel.extract(member, sys.argv[2])
PY

rm -f "$MODELS/manifest.json"
for source in "$light"/light_*.onnx; do
    name=$(basename "$source" .onnx)
    name=${name#light_}
    name=${name#bvlc_}
    "$PIPEBOUND" convert "$source" -o "$MODELS/$name.json" --name "$name" --manifest "$MODELS/manifest.json"
    echo "converted $name"
done

# Synthetic graphs, 10 to 20,000 nodes: KIND:NODES:SEED.
for spec in layered:10:1 layered:200:2 layered:2000:3 layered:20000:4 chain:1000:5 diamond:500:6 diamond:5000:7 transformer:170:8; do
    IFS=: read -r kind nodes seed <<<"$spec"
    name="synthetic-$kind-$nodes"
    "$PIPEBOUND" convert --synthetic "$spec" -o "$MODELS/$name.json" --name "$name" --manifest "$MODELS/manifest.json"
    echo "generated $name"
done
du -sh "$MODELS"
