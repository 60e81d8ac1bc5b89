#!/usr/bin/env bash
# Creates the local base image that Dockerfile.example's build stage uses in
# the end-to-end suite: a minimal Debian bookworm with the tools vigil's release
# preset needs (clang, g++, cmake, make, lld, musl-tools, lz4). No registry is
# reachable on CI machines, so the image is made with debootstrap from the
# machine's own apt mirror and `docker import`ed under TAG. It is cached: when TAG exists this
# script does nothing, so only the first run on a machine pays (about a minute).
#
# Usage: make-base-image.sh [TAG]        (default vigil-build-base:bookworm-clang)
# Environment: VIGIL_DEBIAN_MIRROR overrides the mirror taken from apt sources.
# Needs root (debootstrap) and a running Docker engine.
set -euo pipefail

tag=${1:-vigil-build-base:bookworm-clang}
suite=bookworm
packages=g++,clang,cmake,make,lld,musl-tools,lz4

if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "make-base-image: $tag exists (cached)"
    exit 0
fi

# Several test processes may ask at once: one builds, the others wait for it.
exec 9>/tmp/vigil-build-base.lock
flock 9
if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "make-base-image: $tag was built meanwhile"
    exit 0
fi

if [[ $(id -u) != 0 ]]; then
    echo "make-base-image: debootstrap needs root" >&2
    exit 1
fi
command -v debootstrap >/dev/null || {
    echo "make-base-image: debootstrap is not installed (apt-get install debootstrap)" >&2
    exit 1
}

# The first Debian mirror apt uses for $suite: deb822 .sources files
# (URIs:/Suites: stanzas) or one-line "deb URI SUITE ..." entries.
find_mirror() {
    local file
    for file in /etc/apt/sources.list.d/*.sources; do
        [[ -f $file ]] || continue
        awk -v suite="$suite" '
            function flush() {
                if (uri != "" && (" " suites " ") ~ (" " suite " ")) { print uri; found = 1; exit }
                uri = ""; suites = ""
            }
            /^[[:space:]]*$/ { flush(); next }
            /^URIs:/   { uri = $2 }
            /^Suites:/ { $1 = ""; suites = $0 }
            END { if (!found) flush() }
        ' "$file"
    done
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f $file ]] || continue
        awk -v suite="$suite" '
            $1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                if ($(i + 1) == suite) { print $i; exit }
            }
        ' "$file"
    done
}
mirror=${VIGIL_DEBIAN_MIRROR:-$(find_mirror | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /var/tmp/vigil-build-base.XXXXXX)
log=$(mktemp /var/tmp/vigil-build-base-log.XXXXXX)
trap 'rm -rf "$root" "$log"' EXIT

echo "make-base-image: debootstrap $suite from $mirror with $packages (once per machine)"
if ! debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "make-base-image: debootstrap failed" >&2
    exit 1
fi
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

# An imported image has no configuration: give it the PATH and shell a
# Debian image has.
tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' \
    --change 'LABEL org.opencontainers.image.description="vigil build base: Debian bookworm with g++, cmake, lld, musl-tools"' \
    - "$tag" >/dev/null
echo "make-base-image: created $tag"
