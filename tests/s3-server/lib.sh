# shellcheck shell=bash
# Shared by start.sh, stop.sh and rgw.sh (sourced, not run).
# Sets: S3_HERE S3_REPO S3_DIR S3_PIDFILE S3_PY; defines s3_stop_instance, s3_launch ...

S3_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
S3_REPO=$(cd "$S3_HERE/../.." && pwd)
S3_DIR=${BUCKETDROP_S3_DIR:-$S3_REPO/.s3-local}
S3_PIDFILE="$S3_DIR/s3-server.pid"
# Debian's interpreter: the python3 on PATH may be another one without swift.
# shellcheck disable=SC2034 # used by start.sh
S3_PY=/usr/bin/python3
# No __pycache__/ next to s3compat.py in the work tree.
export PYTHONDONTWRITEBYTECODE=1
# Every process we start carries this variable; stop.sh only signals
# processes whose environment has it with this exact value.
S3_MARKER="BUCKETDROP_S3_INSTANCE=$S3_DIR"

s3_log() { printf '%s\n' "$*" >&2; }

s3_abs_dir() { # make S3_DIR absolute; "create": mkdir it first
  if [ "$1" = create ]; then mkdir -p "$S3_DIR"; fi
  if [ -d "$S3_DIR" ]; then
    S3_DIR=$(cd "$S3_DIR" && pwd -P)
    S3_PIDFILE="$S3_DIR/s3-server.pid"
    S3_MARKER="BUCKETDROP_S3_INSTANCE=$S3_DIR"
  fi
}

# Take the per-instance lock on fd 9 (start.sh and stop.sh never overlap).
s3_lock() {
  exec 9>"$S3_DIR/.lock"
  if ! flock -w 120 9; then
    s3_log "s3-server: another start/stop holds $S3_DIR/.lock for 120 s; giving up"
    exit 1
  fi
}

# Is PID one of ours (alive, not a zombie, marker in its environment)?
s3_is_ours() {
  local pid=$1
  [ -r "/proc/$pid/environ" ] || return 1
  local state
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ] || return 1
  { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -Fxq -- "$S3_MARKER"
}

# PIDs from the pid file, plus members of their process groups (each server
# runs under setsid, so forked workers share the leader's group), that are ours.
s3_our_pids() {
  local pid member
  [ -f "$S3_PIDFILE" ] || return 0
  while read -r _ pid; do
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    for member in $pid $(pgrep -g "$pid" 2>/dev/null); do
      if s3_is_ours "$member"; then echo "$member"; fi
    done
  done <"$S3_PIDFILE" | sort -un
}

# Stop everything this instance started: SIGTERM, then SIGKILL after 5 s.
s3_stop_instance() {
  local pids pid
  pids=$(s3_our_pids)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for _ in $(seq 50); do
      pids=$(for pid in $pids; do if s3_is_ours "$pid"; then echo "$pid"; fi; done)
      [ -z "$pids" ] && break
      sleep 0.1
    done
    if [ -n "$pids" ]; then
      s3_log "s3-server: still running after 5 s, sending SIGKILL to: ${pids//$'\n'/ }"
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
      for _ in $(seq 50); do
        pids=$(for pid in $pids; do if s3_is_ours "$pid"; then echo "$pid"; fi; done)
        [ -z "$pids" ] && break
        sleep 0.1
      done
    fi
  fi
  rm -f "$S3_PIDFILE"
  [ -z "$pids" ]
}

# Start a server in the background: own session and process group (setsid), log in
# <dir>/logs/NAME.log, pid appended to the array `pids` and to the pid file.
s3_launch() { # name command...
  local name=$1
  shift
  local log="$S3_DIR/logs/$name.log"
  # Keep one old log; the proxy access log grows with every request.
  if [ -f "$log" ] && [ "$(stat -c %s "$log")" -gt $((32 * 1024 * 1024)) ]; then
    mv -f "$log" "$log.1"
  fi
  printf '\n===== %s start %s\n' "$name" "$(date -Is)" >>"$log"
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  local pid=$!
  pids+=("$pid")
  echo "$name $pid" >>"$S3_PIDFILE"
}
