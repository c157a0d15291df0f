#!/usr/bin/env bash
# How writing files alone scales on this machine, with no site generator involved: synthetic
# output trees of N paper folders (a 10 kB index.html and a 400-byte cite.bib each, as a
# scholarsite build writes per paper), either all in one folder (papers/<slug>/, the URLs a
# build makes) or spread over 256 folders, written by examples/write_baseline (in parallel on
# all cores), median of 3. Answers whether a build of 100,000 papers can take 10× the time of
# 10,000 here: not if writing the same files alone takes more than 10×.
# Usage: bash bench/write_scaling.sh [SIZES...]   (default 10000 100000; BENCH_DIR=… to work
# elsewhere than /dev/shm)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] && sizes=("$@") || sizes=(10000 100000)
cargo build --release --locked -q --example write_baseline
WRITE=$PWD/target/release/examples/write_baseline
base=/dev/shm; [ -d "$base" ] && [ -w "$base" ] || base=$(mktemp -d)
work="${BENCH_DIR:-$base/scholarsite-write-scaling}"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

printf '| papers | files | one folder | 256 folders |\n|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  row="| $n | $((2 * n)) |"
  for layout in flat sharded; do
    tree="$work/tree-$n-$layout"
    python3 - "$n" "$tree" "$layout" <<'PY'
import os, sys
n, out, layout = int(sys.argv[1]), sys.argv[2], sys.argv[3]
page, bib = b"x" * 10_000, b"y" * 400
for i in range(n):
    d = f"{out}/papers/{i % 256:02x}/p{i:06d}" if layout == "sharded" else f"{out}/papers/p{i:06d}"
    os.makedirs(d)
    with open(f"{d}/index.html", "wb") as f:
        f.write(page)
    with open(f"{d}/cite.bib", "wb") as f:
        f.write(bib)
PY
    times=()
    for _ in 1 2 3; do
      times+=("$("$WRITE" "$tree" "$work/out" | grep -o '[0-9.]* ms' | cut -d' ' -f1)")
      rm -rf "$work/out"
    done
    rm -rf "$tree"
    row="$row $(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p) ms |"
  done
  echo "$row"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" >&2
