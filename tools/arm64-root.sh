#!/usr/bin/env bash
# Makes (once) an arm64 Debian root with python3 and pytest, in which
# aarch64 wheels are tested under qemu-user-static, and prints its path.
#
#   bash tools/arm64-root.sh            -> ${ROCKSQ_CACHE:-$HOME/.cache/rocksq}/arm64-root-<suite>
#   bash tools/arm64-root.sh --register  only registers qemu-aarch64 with binfmt_misc
#
# Debian's debootstrap builds it from the archive this machine's apt uses
# (the first URIs of /etc/apt/sources.list.d/debian.sources, or the first deb
# line of /etc/apt/sources.list), for this machine's suite (bookworm: Python
# 3.11).  The kernel runs its arm64 programs through qemu-aarch64-static,
# registered with binfmt_misc with the F flag (the interpreter is opened
# once, so it works inside the chroot too).  Needs root (chroot, mount).
set -euo pipefail
cache=${ROCKSQ_CACHE:-$HOME/.cache/rocksq}
log() { echo "arm64-root: $*" >&2; }

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
[ -x /usr/bin/qemu-aarch64-static ] || need+=(qemu-user-static)
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

register() {
  local fs=/proc/sys/fs/binfmt_misc
  [ -e "$fs/register" ] || mount -t binfmt_misc binfmt_misc "$fs" ||
    { log "cannot mount binfmt_misc"; exit 1; }
  [ -e "$fs/qemu-aarch64" ] && return 0
  # Debian's qemu-user-static describes its registration in binfmt.d;
  # the interpreter it names is the static qemu.
  local conf=/usr/lib/binfmt.d/qemu-aarch64.conf
  [ -f "$conf" ] || { log "no $conf"; exit 1; }
  cat "$conf" >"$fs/register" || { log "cannot register qemu-aarch64"; exit 1; }
}
register
[ "${1:-}" = --register ] && exit 0

. /etc/os-release
suite=${ROCKSQ_ARM64_SUITE:-$VERSION_CODENAME}
mirror=${ROCKSQ_DEBIAN_MIRROR:-}
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources | head -1)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(sed -nE 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' /etc/apt/sources.list | head -1)
fi
[ -n "$mirror" ] || { log "no Debian archive found in /etc/apt (set ROCKSQ_DEBIAN_MIRROR)"; exit 1; }

root=$cache/arm64-root-$suite
if [ -f "$root/.complete" ]; then
  echo "$root"
  exit 0
fi
rm -rf "$root"
mkdir -p "$cache"
log "debootstrap arm64 $suite from $mirror into $root (a few minutes)"
start=$(date +%s)
debootstrap --arch=arm64 --variant=minbase --include=python3,python3-pytest \
  "$suite" "$root" "$mirror" >"$cache/arm64-root-$suite.log" 2>&1 ||
  { tail -30 "$cache/arm64-root-$suite.log" >&2; log "debootstrap failed"; exit 1; }
chroot "$root" python3 -c 'import platform, pytest; assert platform.machine() == "aarch64"' ||
  { log "python3 does not run in $root"; exit 1; }
touch "$root/.complete"
log "made in $(( $(date +%s) - start )) s"
echo "$root"
