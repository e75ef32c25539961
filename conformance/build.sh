#!/bin/sh
# Build the conformance executor from source (run by `npm ci` through package.json's
# postinstall). A static binary is preferred: the exec'd helper image then opens no dynamic
# loader or libraries, which a Landlock domain could deny.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
mkdir -p "$here/build"
out="$here/build/strata-exec"
src="$here/executor.c $here/native/*.c"
flags="-std=gnu11 -O2 -Wall -Wextra"
# shellcheck disable=SC2086
if $cc $flags -static -o "$out.tmp" $src 2>"$here/build/static.log"; then
  :
else
  echo "conformance/build.sh: static link failed (see conformance/build/static.log); building a dynamic executor" >&2
  # shellcheck disable=SC2086
  $cc $flags -o "$out.tmp" $src
fi
mv -f "$out.tmp" "$out"
