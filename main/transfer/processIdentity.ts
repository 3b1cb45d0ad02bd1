import { readFileSync } from 'node:fs';

/**
 * Who holds a journal lock. A PID alone is not enough: a killed process stays a zombie until it
 * is reaped, and after a reboot its PID may belong to any program. The start time (in clock
 * ticks since boot), the command line and the boot ID tell the holder apart from whoever has
 * the PID now.
 */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat; absent where there is no /proc (a best effort there). */
  startTime?: string;
  command?: string;
  bootId?: string;
}

export type HolderVerdict = { alive: true; command: string } | { alive: false; reason: string };

const HAS_PROC = process.platform === 'linux';

function readProc(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** State (field 3) and start time (field 22); the command name in field 2 may hold spaces and ")". */
function procStat(pid: number): { state: string; startTime: string } | null {
  const text = readProc(`/proc/${pid}/stat`);
  if (text === null) return null;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
}

function procCommand(pid: number): string {
  return (readProc(`/proc/${pid}/cmdline`) ?? '').replace(/\0+$/, '').replace(/\0/g, ' ');
}

function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim();
}

export function currentIdentity(): ProcessIdentity {
  if (!HAS_PROC) return { pid: process.pid, command: process.argv.join(' ') };
  const boot = bootId();
  return {
    pid: process.pid,
    startTime: procStat(process.pid)?.startTime ?? '',
    command: procCommand(process.pid),
    ...(boot ? { bootId: boot } : {}),
  };
}

/** Reads a lock file: JSON since identities were recorded, a bare PID before. */
export function parseIdentity(text: string): ProcessIdentity | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const value = JSON.parse(trimmed) as Partial<ProcessIdentity>;
    if (!Number.isInteger(value.pid) || (value.pid as number) <= 0) return null;
    return {
      pid: value.pid as number,
      ...(typeof value.startTime === 'string' ? { startTime: value.startTime } : {}),
      ...(typeof value.command === 'string' ? { command: value.command } : {}),
      ...(typeof value.bootId === 'string' ? { bootId: value.bootId } : {}),
    };
  } catch {
    return null;
  }
}

/** A lock written before identities were recorded names only a PID: any Node or Electron. */
const OUR_PROGRAMS = /node|electron|bucketdrop/i;

/** Whether the process that wrote `holder` is still running (a zombie has exited). */
export function judgeHolder(holder: ProcessIdentity): HolderVerdict {
  if (!HAS_PROC) {
    try {
      process.kill(holder.pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') {
        return { alive: false, reason: 'it exited' };
      }
    }
    return { alive: true, command: holder.command ?? 'unknown command' };
  }
  if (holder.bootId && holder.bootId !== bootId()) {
    return { alive: false, reason: 'the computer restarted since' };
  }
  const stat = procStat(holder.pid);
  if (!stat) return { alive: false, reason: 'it exited' };
  if (stat.state === 'Z' || stat.state === 'X') {
    return { alive: false, reason: 'it exited (a zombie not yet reaped)' };
  }
  const command = procCommand(holder.pid);
  if (holder.startTime !== undefined) {
    if (holder.startTime !== stat.startTime) {
      return { alive: false, reason: 'its PID now belongs to another process' };
    }
    if (holder.command !== undefined && holder.command !== command) {
      return { alive: false, reason: 'its PID now runs another program' };
    }
  } else if (!OUR_PROGRAMS.test(command)) {
    return { alive: false, reason: 'its PID now runs another program' };
  }
  return { alive: true, command };
}
