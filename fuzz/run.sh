#!/usr/bin/env bash
# Builds the fuzz preset and runs each libFuzzer target (fuzz/fuzz_NAME.cpp)
# for SECONDS (default 18) on a copy of its corpus in fuzz/corpus/NAME/ (the
# copy grows; the corpus in the repository stays as it is). Fails on any
# crash, leak, sanitizer report or failed check; the input that caused it is
# left in build/fuzz/. Seventeen targets at 18 s: about five minutes.
#
# fuzz/run.sh SECONDS [NAME...]   only these targets
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-18}
shift || true

cmake --preset fuzz >/dev/null
cmake --build build/fuzz

if (($#)); then
    targets=("$@")
else
    targets=()
    for source in fuzz/fuzz_*.cpp; do
        name=${source#fuzz/fuzz_}
        targets+=("${name%.cpp}")
    done
fi

for target in "${targets[@]}"; do
    [[ -x build/fuzz/fuzz/fuzz_$target ]] || { echo "fuzz: no target fuzz_$target"; exit 1; }
    [[ -d fuzz/corpus/$target ]] || { echo "fuzz: no corpus fuzz/corpus/$target"; exit 1; }
    corpus=build/fuzz/corpus/$target
    rm -rf "$corpus"
    mkdir -p "$corpus"
    cp fuzz/corpus/$target/* "$corpus"/
    echo "fuzz: $target for ${seconds}s from $(ls "$corpus" | wc -l) inputs"
    (cd build/fuzz && "fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
        "corpus/$target" 2>&1 | tail -n 12) || { echo "fuzz: $target failed"; exit 1; }
done
