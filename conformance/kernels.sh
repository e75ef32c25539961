#!/bin/sh
# conformance/kernels.sh: fetch the kernel matrix `npm test` boots under QEMU (conformance/
# kernels.test.ts) — Debian's cloud kernels, Linux 6.1 (Landlock ABI 2) and 6.12 (ABI 6) — into
# strata's cache directory, without installing them: `apt-get download` of the current package
# of each series (the one its meta-package depends on), `dpkg-deb -x` into a temporary directory,
# and only the image and its config kept:
#
#   $STRATA_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/strata)/kernels/<package>/vmlinuz, config
#
# The temporary directory is removed on every way out (a signal included); an older package of
# the same series is removed once the newer one is in place. Prints the images' paths, one a
# line. Needs apt's package lists (`apt-get update` first on a fresh machine: .ci/run does it).
set -eu

cache=${STRATA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/strata}
dir="$cache/kernels"
mkdir -p "$dir"

tmp=
cleanup() {
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'cleanup; trap - INT; kill -INT $$' INT
trap 'cleanup; trap - TERM; kill -TERM $$' TERM
trap 'cleanup; trap - HUP; kill -HUP $$' HUP

# meta-package -> the versioned image package it depends on now
for meta in linux-image-cloud-amd64 linux-image-6.12-cloud-amd64; do
  pkg=$(apt-cache show --no-all-versions "$meta" 2>/dev/null | sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
  if [ -z "$pkg" ]; then
    echo "conformance/kernels.sh: apt knows no package $meta: run apt-get update first (Debian's package lists are needed)" >&2
    exit 1
  fi
  case "$pkg" in
    linux-image-6.1.*) series='linux-image-6.1.*-cloud-amd64' ;;
    linux-image-6.12.*) series='linux-image-6.12.*-cloud-amd64' ;;
    *) echo "conformance/kernels.sh: $meta depends on $pkg, not a 6.1 or 6.12 image" >&2; exit 1 ;;
  esac
  if [ ! -f "$dir/$pkg/vmlinuz" ]; then
    tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
    (cd "$tmp" && apt-get download -q "$pkg" >/dev/null 2>"$tmp/apt.log") || {
      echo "conformance/kernels.sh: apt-get download $pkg failed: $(tail -n 1 "$tmp/apt.log")" >&2
      exit 1
    }
    dpkg-deb -x "$tmp"/*.deb "$tmp/root"
    mkdir "$tmp/keep"
    cp "$tmp"/root/boot/vmlinuz-* "$tmp/keep/vmlinuz"
    cp "$tmp"/root/boot/config-* "$tmp/keep/config"
    rm -rf "$dir/$pkg"
    mv "$tmp/keep" "$dir/$pkg"
    rm -rf "$tmp"
    tmp=
  fi
  # an older package of the same series is not needed any more
  for old in "$dir"/$series; do
    [ -d "$old" ] && [ "$old" != "$dir/$pkg" ] && rm -rf "$old"
  done
  echo "$dir/$pkg/vmlinuz"
done
