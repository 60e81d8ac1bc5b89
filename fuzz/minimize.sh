#!/usr/bin/env bash
# Merges what longer runs found into a target's corpus, minimized:
#
#   fuzz/minimize.sh NAME DIR...
#
# The fewest inputs of fuzz/corpus/NAME and of each DIR that cover the same
# edges (-set_cover_merge, a greedy set cover; -use_counters=0: which edges,
# not how often they ran), so that a corpus stays at tens of files, replace
# the inputs of fuzz/corpus/NAME named by their SHA-1, as libFuzzer names
# them. Inputs with a name of their own stay: the
# seeds written by hand, and found-*, the ones that once made a target fail.
# Needs the fuzz build (cmake --preset fuzz && cmake --build build/fuzz).
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/.."
name=$1
shift
binary=build/fuzz/fuzz/fuzz_$name
corpus=fuzz/corpus/$name
[[ -x $binary && -d $corpus ]] || { echo "minimize: no $binary or no $corpus" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/merged"
"$binary" -set_cover_merge=1 -use_counters=0 "$work/merged" "$corpus" "$@" >"$work/log" 2>&1 ||
    { tail -n 20 "$work/log"; exit 1; }
kept=""
for input in "$corpus"/*; do
    if [[ $(basename "$input") =~ ^[0-9a-f]{40}$ ]]; then
        rm "$input"
    else
        kept+="$(sha1sum <"$input" | cut -d' ' -f1)"$'\n'
    fi
done
for input in "$work/merged"/*; do
    grep -qx "$(basename "$input")" <<<"$kept" || cp "$input" "$corpus/"
done
echo "minimize: $name: $(find "$corpus" -type f | wc -l) inputs, $(cat "$corpus"/* | wc -c) bytes"
