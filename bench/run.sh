#!/usr/bin/env bash
# Benchmarks vigil against tini, tini-static, dumb-init and catatonit, and
# `vigil probe` against busybox wget and curl, side by side in one run, with
# `vigil probe grpc://` against grpc-go's health server beside them.
#
#   bash bench/run.sh           full run (about a quarter of an hour; most of
#                               it the 400 reaping bursts): docs/benchmarks.md
#                               and docs/benchmarks.png
#   bash bench/run.sh --smoke   tiny N, well under a minute once built; writes
#                               bench/out/ only and fails when any measurement
#                               has no figure for vigil (CI runs this)
#
# Either way the unit tests of the statistics that decide the targets
# (bench-tests) run first, and a failing one stops the run.
#
# VIGIL=/path/to/vigil measures that binary instead of building the release
# one (cmake --workflow --preset release). Needs root: the inits run as PID 1
# of new PID namespaces, and missing peers are installed with apt-get. Every
# sample is kept in bench/out/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
case "${1:-}" in
    --smoke) smoke=1 ;;
    "") ;;
    *)
        echo "usage: bash bench/run.sh [--smoke]" >&2
        exit 2
        ;;
esac
if [[ $(id -u) -ne 0 ]]; then
    echo "bench: needs root (PID namespaces, apt-get); try: sudo bash bench/run.sh $*" >&2
    exit 2
fi

# The peers, the chart, what builds the driver and its tests (and vigil,
# unless given), and grpc-go for the gRPC probe's server.
packages=(tini dumb-init catatonit busybox-static curl gnuplot-nox g++ cmake libgtest-dev
    golang-go golang-google-grpc-dev)
[[ -n ${VIGIL:-} ]] || packages+=(musl-tools)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
    echo "bench: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
fi

if [[ -z ${VIGIL:-} ]]; then
    echo "bench: building vigil: cmake --workflow --preset release"
    cmake --workflow --preset release
    VIGIL=build/release/vigil
fi
VIGIL=$(realpath "$VIGIL")

build=build/bench
echo "bench: building the driver in $build"
cmake -S . -B "$build" -DVIGIL_BUILD_BENCH=ON -DVIGIL_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target vigil-bench bench-child bench-tests -j "$(nproc)"
echo "bench: unit tests of the statistics: $build/bench/bench-tests"
"$build/bench/bench-tests" --gtest_brief=1

out=bench/out
mkdir -p "$out"
if ((smoke)); then
    report_dir=$out
    sizes=(--smoke)
else
    report_dir=docs
    sizes=()
fi
mkdir -p "$report_dir"
echo "bench: measuring $VIGIL"
status=0
"$build/bench/vigil-bench" "${sizes[@]}" --vigil "$VIGIL" --out "$out" \
    --markdown "$report_dir/benchmarks.md" --chart "$PWD/$report_dir/benchmarks.png" || status=$?
# The driver writes the report and the chart's script even when a figure for
# vigil is missing (status 1); draw the chart, then pass the status on.
if [[ -f $out/chart.gp ]] && ((status != 2)); then
    gnuplot "$out/chart.gp"
    echo "bench: wrote $report_dir/benchmarks.md and $report_dir/benchmarks.png"
fi
exit "$status"
