"""Runs a command as a child and leaves it a zombie for a while after it dies, as a parent that
reaps late does (a container's init, a busy service manager). Prints "child <pid>" on stderr."""
import os
import sys
import time

pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
sys.stderr.write(f"child {pid}\n")
sys.stderr.flush()
linger = float(sys.argv[1])
# Wait for the child to die without reaping it: /proc shows it as a zombie ("Z") meanwhile.
while True:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                break
    except FileNotFoundError:
        break
    time.sleep(0.01)
time.sleep(linger)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
