#!/usr/bin/env bash
# What each hardening measure costs the release binary, per architecture: the
# release presets built with VIGIL_HARDENING set to each step in turn (none,
# then PIE, then the stack protector, then RELRO: the shipped binary), in
# build/size-ARCH-STEP. Prints one line per architecture with the size in
# bytes after each step. docs/benchmarks.md ("Binary size") has the figures.
#
# Usage: bench/binary-size.sh [ARCH...]      (default: amd64 arm64)
set -euo pipefail
cd "$(dirname "$0")/.."

arches=("$@")
((${#arches[@]})) || arches=(amd64 arm64)
steps=("" "pie" "pie;stack-protector" "pie;stack-protector;relro")
names=(none +pie +stack-protector +relro)

printf '%-8s' arch
printf ' %16s' "${names[@]}"
printf '\n'
for arch in "${arches[@]}"; do
    printf '%-8s' "$arch"
    for i in "${!steps[@]}"; do
        dir="build/size-$arch-$i"
        cmake --preset "release-$arch" -B "$dir" "-DVIGIL_HARDENING=${steps[$i]}" >/dev/null
        cmake --build "$dir" -j2 >/dev/null
        printf ' %16s' "$(stat -c %s "$dir/vigil")"
    done
    printf '\n'
done
