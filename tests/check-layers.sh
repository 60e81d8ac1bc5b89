#!/usr/bin/env bash
# Proves that the layers of src/ are enforced by the build (cmake/layers.cmake):
#   1. each lower layer builds alone, from a copy of the tree that holds no
#      source of any layer above it (base alone; base and resolver; base,
#      resolver and probe), its headers checked one by one;
#   2. a deliberate include that goes up a layer ("supervisor/..." in a probe
#      header) fails that build, with "No such file or directory".
# A plain host build with the header check on; no musl needed. About a
# minute on two cores. Usage: tests/check-layers.sh [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
layers=(base resolver probe supervisor)

# A copy of the committed tree (and the working tree's edits) without the
# layers from index $1 on.
copy_without_layers_from() {
    local from=$1 dir=$2
    rm -rf "$dir"
    mkdir -p "$dir"
    git ls-files -z --cached --others --exclude-standard | tar -c --null -T - | tar -x -C "$dir"
    for ((i = from; i < ${#layers[@]}; ++i)); do
        rm -rf "$dir/src/${layers[i]}"
    done
}

build_layer() {
    local dir=$1 layer=$2
    cmake -S "$dir" -B "$dir/build" -DVIGIL_BUILD_TESTS=OFF -DVIGIL_CHECK_HEADERS=ON \
        -DVIGIL_WERROR=ON >"$dir/configure.log" 2>&1
    cmake --build "$dir/build" --parallel 4 --target "vigil_$layer" "vigil_${layer}_headers" \
        >"$dir/build.log" 2>&1
}

for ((top = 0; top < ${#layers[@]} - 1; ++top)); do
    layer=${layers[top]}
    dir="$work/up-to-$layer"
    copy_without_layers_from $((top + 1)) "$dir"
    if ! build_layer "$dir" "$layer"; then
        echo "check-layers: $layer does not build without the layers above it:"
        tail -n 20 "$dir/build.log"
        exit 1
    fi
    echo "check-layers: ${layers[*]:0:top+1} build alone, every header on its own"
done

dir="$work/upward-include"
copy_without_layers_from 4 "$dir"
sed -i '0,/^#include/s//#include "supervisor\/supervisor.h"\n#include/' "$dir/src/probe/url.h"
if build_layer "$dir" probe; then
    echo "check-layers: a probe header that includes supervisor/supervisor.h built; it must not"
    exit 1
fi
if ! grep -q 'supervisor/supervisor.h: No such file or directory' "$dir/build.log"; then
    echo "check-layers: the upward include failed, but not for the reason expected:"
    tail -n 20 "$dir/build.log"
    exit 1
fi
echo "check-layers: an upward include (supervisor/ from probe/url.h) fails the build:"
grep -m1 'supervisor/supervisor.h: No such file or directory' "$dir/build.log"
