#!/usr/bin/env bash
# Start a local S3 server for tests, benchmarks and trying the app:
# Debian's OpenStack Swift with the s3api middleware, on 127.0.0.1 only,
# data in ${BUCKETDROP_S3_DIR:-<repo>/.s3-local}. See README.md.
#
# Idempotent: a healthy instance from the same folder is left alone; stale
# pids (e.g. after kill -9) mean a restart on the same data.
# Writes <dir>/env (AWS_ENDPOINT_URL, keys, region ...): `set -a; . <dir>/env`.
set -euo pipefail
# `start.sh rgw` (npm run s3:start -- rgw): the Ceph RADOS Gateway instead, see rgw.sh.
case "${1:-swift}" in
  swift) ;;
  rgw) exec bash "$(dirname "${BASH_SOURCE[0]}")/rgw.sh" start ;;
  *) echo "usage: start.sh [swift|rgw]" >&2 && exit 2 ;;
esac
set +m # background jobs must stay in our process group (see launch below)
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

READY_TIMEOUT=${BUCKETDROP_S3_START_TIMEOUT:-60}
SERVERS=(account container object proxy)
PACKAGES=(swift swift-proxy swift-account swift-container swift-object python3-swift memcached)

ensure_packages() {
  local missing=0 s
  for s in "${SERVERS[@]}"; do
    [ -x "/usr/bin/swift-$s-server" ] || missing=1
  done
  [ -x /usr/bin/memcached ] || missing=1
  [ -x "$S3_PY" ] && "$S3_PY" -c 'import swift.common.ring' 2>/dev/null || missing=1
  [ "$missing" = 0 ] || bash "$S3_HERE/apt-install.sh" "${PACKAGES[@]}"
}

ensure_swift_conf() {
  # Swift always reads /etc/swift/swift.conf (hash prefix/suffix, storage
  # policies, constraints). Create it if missing; never touch an existing one.
  [ -f /etc/swift/swift.conf ] && return 0
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  s3_log "s3-server: creating /etc/swift/swift.conf"
  "${sudo[@]}" mkdir -p /etc/swift
  "${sudo[@]}" tee /etc/swift/swift.conf >/dev/null <<'CONF'
# Created by bucketdrop tests/s3-server/start.sh (test use only).
[swift-hash]
swift_hash_path_suffix = changeme
swift_hash_path_prefix = changeme

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
# AWS: at most 5 GiB per single PUT (bigger objects: multipart).
max_file_size = 5368709120
CONF
}

show_logs() {
  local f
  for f in "$S3_DIR"/logs/*.log; do
    [ -f "$f" ] || continue
    s3_log "----- tail of $f"
    tail -n 25 "$f" >&2 || true
  done
}

print_ready() {
  local port=$1 how=$2
  echo "s3-server: $how at http://127.0.0.1:$port (data: $S3_DIR)"
  echo "s3-server: use it with:  set -a; . $S3_DIR/env; set +a"
}

ensure_packages
ensure_swift_conf
s3_abs_dir create
s3_lock

# Already running?
if [ -f "$S3_PIDFILE" ]; then
  all_alive=1
  old_pids=()
  while read -r _ pid; do
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    old_pids+=("$pid")
    s3_is_ours "$pid" || all_alive=0
  done <"$S3_PIDFILE"
  # All alive: give a busy server (benchmark running) 15 s to answer.
  if [ "$all_alive" = 1 ] && [ "${#old_pids[@]}" = 5 ] &&
    "$S3_PY" "$S3_HERE/instance.py" wait "$S3_DIR" 15 "${old_pids[@]}"; then
    port=$(sed -n 's#^AWS_ENDPOINT_URL=http://127.0.0.1:##p' "$S3_DIR/env")
    print_ready "$port" "already running"
    exit 0
  fi
  s3_log "s3-server: found a stale or unhealthy instance; restarting it on the same data"
  s3_stop_instance || { s3_log "s3-server: could not stop the old processes"; exit 1; }
fi

t0=$(date +%s.%N)
eval "$("$S3_PY" "$S3_HERE/instance.py" prepare "$S3_DIR")"

# Environment of every server process.
export BUCKETDROP_S3_INSTANCE="$S3_DIR" # marker checked by stop.sh
export EVENTLET_NO_GREENDNS=yes         # faster start-up, no DNS needed
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP

pids=()
: >"$S3_PIDFILE"
# Interrupted while starting: stop what was started (the servers run in their
# own sessions, so Ctrl-C does not reach them).
trap 's3_log "s3-server: interrupted; stopping what was started"; s3_stop_instance || true; exit 130' INT TERM
mc_user=()
[ "$(id -u)" = 0 ] && mc_user=(-u root)
s3_launch memcached /usr/bin/memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 -c 1024 "${mc_user[@]}"
for s in "${SERVERS[@]}"; do
  s3_launch "$s-server" "$S3_PY" "$S3_HERE/swift_server.py" "/usr/bin/swift-$s-server" "$S3_DIR/conf/$s-server.conf" -v
done

if ! "$S3_PY" "$S3_HERE/instance.py" wait "$S3_DIR" "$READY_TIMEOUT" "${pids[@]}"; then
  show_logs
  s3_log "s3-server: FAILED to start (logs in $S3_DIR/logs); stopping what was started"
  s3_stop_instance || true
  exit 1
fi
trap - INT TERM
t1=$(date +%s.%N)
print_ready "$PROXY_PORT" "ready in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
