#!/bin/sh
# Build the conformance executor from source (run by `npm ci` through package.json's
# postinstall): build/strata-exec (the executor) and build/strata-task (the libc-free image a
# task execs into), and for `strata conform --kernel` (conformance/vm/) build/strata-init (the
# guest's init) and build/strata-vm-guard (QEMU dies with its parent). A static executor is
# preferred; a guest needs it static (its initramfs holds no libc). Without build/strata-task the executor
# would exec a copy of itself, whose start-up makes system calls the model does not know of:
# strata conform and replay --target kernel then stop (exit 2) and say so; the rest of strata
# works.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
mkdir -p "$here/build"
out="$here/build/strata-exec"
n="$here/native"
flags="-std=gnu11 -O2 -Wall -Wextra -Werror=implicit-function-declaration"
src="$here/executor.c"
for f in "$n"/*.c; do
  case "$f" in
    "$n/helper.c" | "$n/guest-init.c" | "$n/vm-guard.c") ;;
    *) src="$src $f" ;;
  esac
done
# shellcheck disable=SC2086
if $cc $flags -static -o "$out.tmp" $src 2>"$here/build/static.log"; then
  :
else
  echo "conformance/build.sh: static link failed (see conformance/build/static.log); building a dynamic executor" >&2
  # shellcheck disable=SC2086
  $cc $flags -o "$out.tmp" $src
fi
mv -f "$out.tmp" "$out"
# shellcheck disable=SC2086
if $cc $flags -static -nostdlib -fno-stack-protector -fno-tree-loop-distribute-patterns -fno-pie -no-pie \
    -o "$here/build/strata-task.tmp" "$n/helper.c" "$n/task.c" "$n/probe.c" "$n/oracle.c" "$n/disposable.c" "$n/tracer.c" -lgcc 2>"$here/build/task.log"; then
  mv -f "$here/build/strata-task.tmp" "$here/build/strata-task"
else
  echo "conformance/build.sh: the libc-free task image did not build (see conformance/build/task.log); strata conform and replay --target kernel will stop until it does (it needs gcc with its static libgcc)" >&2
  rm -f "$here/build/strata-task.tmp" "$here/build/strata-task"
fi
# strata conform --kernel: the guest's init (static: the initramfs has no libc) and the guard
# QEMU runs under. Neither is needed for anything else: a failure is said, not fatal.
# shellcheck disable=SC2086
if $cc $flags -static -o "$here/build/strata-init.tmp" "$n/guest-init.c" 2>"$here/build/vm.log" &&
   $cc $flags -o "$here/build/strata-vm-guard.tmp" "$n/vm-guard.c" 2>>"$here/build/vm.log"; then
  mv -f "$here/build/strata-init.tmp" "$here/build/strata-init"
  mv -f "$here/build/strata-vm-guard.tmp" "$here/build/strata-vm-guard"
else
  echo "conformance/build.sh: the guest init or the QEMU guard did not build (see conformance/build/vm.log); strata conform --kernel will stop until they do (they need a static libc: libc6-dev)" >&2
  rm -f "$here/build/strata-init.tmp" "$here/build/strata-vm-guard.tmp" "$here/build/strata-init" "$here/build/strata-vm-guard"
fi
