#!/usr/bin/env bash
# Builds the fuzz preset and runs each libFuzzer target for SECONDS (default
# 30) on a copy of its seed corpus in fuzz/corpus/ (the copy grows; the seeds
# in the repository stay as they are). Fails on any crash, leak or sanitizer
# report; the input that caused it is left in build/fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}

cmake --preset fuzz >/dev/null
cmake --build build/fuzz

for target in url response dns_answer http2_frames hpack; do
    corpus=build/fuzz/corpus/$target
    rm -rf "$corpus"
    mkdir -p "$corpus"
    cp fuzz/corpus/$target/* "$corpus"/
    echo "fuzz: $target for ${seconds}s"
    (cd build/fuzz && "fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
        "corpus/$target" 2>&1 | tail -n 12) || { echo "fuzz: $target failed"; exit 1; }
done
