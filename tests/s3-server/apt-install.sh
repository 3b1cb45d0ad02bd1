#!/usr/bin/env bash
# Install those of the given Debian packages that are missing (apt-get), with the
# packages' own services kept from starting: the tests run private instances.
# Quick and silent when everything is installed; `apt-get update` only otherwise.
# Usage: apt-install.sh PACKAGE...
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
printf 'apt-install: installing %s (apt-get) ...\n' "${missing[*]}" >&2
sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
# Standard Debian mechanism: invoke-rc.d asks policy-rc.d, 101 = "do not start".
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  own_policy=1
fi
rc=0
"${sudo[@]}" apt-get update -q >&2 &&
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 || rc=$?
[ "$own_policy" = 0 ] || "${sudo[@]}" rm -f "$policy"
if [ "$rc" != 0 ]; then
  printf 'apt-install: apt-get failed (exit %s)\n' "$rc" >&2
  exit 1
fi
