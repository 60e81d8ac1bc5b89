#!/usr/bin/env bash
# Merges what longer runs found into a target's corpus, minimized:
#
#   fuzz/minimize.sh NAME DIR...
#
# The inputs of fuzz/corpus/NAME and of each DIR that add edge coverage
# (-use_counters=0: which edges, not how often, so the corpus stays at tens
# of files) replace fuzz/corpus/NAME, named by their SHA-1 as libFuzzer names
# them. Inputs named found-* (ones that once made a target fail) always stay.
# Needs the fuzz build (cmake --preset fuzz && cmake --build build/fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
shift
binary=build/fuzz/fuzz/fuzz_$name
corpus=fuzz/corpus/$name
[[ -x $binary && -d $corpus ]] || { echo "minimize: no $binary or no $corpus" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/merged"
"$binary" -merge=1 -use_counters=0 "$work/merged" "$corpus" "$@" >"$work/log" 2>&1 ||
    { tail -n 20 "$work/log"; exit 1; }
found=$(find "$corpus" -type f -name 'found-*' -exec sha1sum {} + | cut -d' ' -f1)
find "$corpus" -type f ! -name 'found-*' -delete
for input in "$work/merged"/*; do
    grep -qx "$(basename "$input")" <<<"$found" || cp "$input" "$corpus/"
done
echo "minimize: $name: $(find "$corpus" -type f | wc -l) inputs, $(cat "$corpus"/* | wc -c) bytes"
