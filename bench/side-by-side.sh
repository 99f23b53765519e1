#!/usr/bin/env bash
# Side-by-side speed: the original Python TradeSim vs this TradeSim, alternating
# (Python, TS, Python, TS, ...). Usage: side-by-side.sh [PAIRS]   (default 3)
#
# The original (https://github.com/haldaaa/tradesim) must be unpacked with its venv:
#   git clone https://github.com/haldaaa/tradesim "$PY_ORIG"   (its app/ folder is what runs)
#   python3 -m venv "$PY_ORIG/venv" && "$PY_ORIG/venv/bin/pip" install -r "$PY_ORIG/app/requirements.txt"
# The original slows as its run ages (its statistics go over histories that only grow), so
# the ratio depends on PY_TURNS: say which one a figure used. Build this TradeSim first
# (npm run build). Every setting below can be overridden from the environment.
set -u

PAIRS=${1:-3}
case $PAIRS in ''|*[!0-9]*|0) echo "PAIRS must be a whole number of 1 or more, got '$PAIRS'" >&2; exit 2 ;; esac
PY_ORIG=${PY_ORIG:-/tmp/pyorig}                    # holds app/ and venv/
PY_BIN=${PY_BIN:-$PY_ORIG/venv/bin/python3}
PY_TURNS=${PY_TURNS:-200}                          # the original's turns per run
PY_ARGS=${PY_ARGS:-}                               # e.g. PY_ARGS=--with-metrics
PY_STATE=${PY_STATE:-$PY_ORIG/partie_default.json} # saved default game, restored before each run
TS_DIR=${TS_DIR:-$(cd "$(dirname "$0")/.." && pwd)} # this TradeSim, built
TS_TURNS=${TS_TURNS:-50000}
TS_JSONL=${TS_JSONL:-/tmp/side.jsonl}
OUT=${OUT:-/tmp/side-by-side}                      # a folder: stdout/stderr of each run
mkdir -p "$OUT"
[ -f "$TS_DIR/dist/cli/tradesim.mjs" ] || { echo "no $TS_DIR/dist/cli/tradesim.mjs (npm run build, or set TS_DIR)" >&2; exit 1; }
[ -x "$PY_BIN" ] && [ -f "$PY_ORIG/app/services/simulate.py" ] || { echo "no original at $PY_ORIG (set PY_ORIG)" >&2; exit 1; }

now() { date +%s.%N; }
PY_APP=$PY_ORIG/app

# The original keeps its game in app/data/partie_active.json. Make its default game once
# (--new-game, option 1 "config par défaut" = 3 companies, 12 products, 5 suppliers;
# then 2 "retourner au menu") and restore that same file before every run.
if [ ! -f "$PY_STATE" ]; then
  (cd "$PY_APP" && printf '1\n2\n' | "$PY_BIN" services/simulate.py --new-game >"$OUT/py-newgame.out" 2>&1) \
    || { echo "could not create the default game, see $OUT/py-newgame.out" >&2; exit 1; }
  cp "$PY_APP/data/partie_active.json" "$PY_STATE"
fi

run_py() { # $1 = run number; prints "wall turns"
  cp "$PY_STATE" "$PY_APP/data/partie_active.json"
  # Its logs only grow (~0.65 MB per turn, mostly logs/metrics.jsonl): empty them first.
  for f in "$PY_APP"/logs/*.jsonl "$PY_APP"/logs/*.log; do [ -f "$f" ] && : >"$f"; done
  local t0 t1 rc
  t0=$(now)
  (cd "$PY_APP" && "$PY_BIN" services/simulate.py --tours "$PY_TURNS" $PY_ARGS >"$OUT/py-$1.out" 2>&1)
  rc=$?
  t1=$(now)
  if [ $rc -ne 0 ]; then echo "python run $1 exited $rc, see $OUT/py-$1.out" >&2; exit 1; fi
  local lines bytes
  lines=$(grep -c '"type": "metrics"' "$PY_APP/logs/metrics.jsonl" 2>/dev/null || true)
  bytes=$(cat "$PY_APP"/logs/*.jsonl "$PY_APP"/logs/*.log 2>/dev/null | wc -c)
  echo "python run $1: metrics lines $lines, log bytes $bytes" >>"$OUT/summary.txt"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') $PY_TURNS"
}

run_ts() { # $1 = run number; prints "wall turns"
  local t0 t1 rc
  rm -f "$TS_JSONL"
  t0=$(now)
  (cd "$TS_DIR" && node dist/cli/tradesim.mjs --scenario classic --turns "$TS_TURNS" --interval 0 \
     --port 0 --quiet --jsonl "$TS_JSONL" >"$OUT/ts-$1.out" 2>&1)
  rc=$?
  t1=$(now)
  if [ $rc -ne 0 ] || [ ! -f "$TS_JSONL" ]; then
    echo "ts run $1 exited $rc, see $OUT/ts-$1.out" >&2; exit 1
  fi
  echo "ts run $1: jsonl lines $(wc -l <"$TS_JSONL"), bytes $(wc -c <"$TS_JSONL")" >>"$OUT/summary.txt"
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') $TS_TURNS"
}

: >"$OUT/summary.txt"
echo "load before: $(uptime)"
echo "python: $PY_BIN services/simulate.py --tours $PY_TURNS $PY_ARGS   (in $PY_APP)"
echo "ts:     node dist/cli/tradesim.mjs --scenario classic --turns $TS_TURNS --interval 0 --port 0 --quiet --jsonl $TS_JSONL   (in $TS_DIR)"
printf '%-5s %10s %10s %10s %10s %9s\n' pair py_wall_s py_turns/s ts_wall_s ts_turns/s ratio
ratios=()
for i in $(seq 1 "$PAIRS"); do
  r=$(run_py "$i") || exit 1; read -r pw pn <<<"$r"
  r=$(run_ts "$i") || exit 1; read -r tw tn <<<"$r"
  line=$(awk -v pw="$pw" -v pn="$pn" -v tw="$tw" -v tn="$tn" -v i="$i" 'BEGIN{
    p=pn/pw; t=tn/tw; printf "%-5s %10.2f %10.2f %10.2f %10.0f %9.1f", i, pw, p, tw, t, t/p }')
  echo "$line"
  ratios+=("$(echo "$line" | awk '{print $6}')")
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END{ if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2 }')
echo "median ratio (TS turns/s / Python turns/s): $median"
echo "load after:  $(uptime)"
cat "$OUT/summary.txt"
