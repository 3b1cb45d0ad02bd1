/** Counts slots for parts in flight across all files, so one huge file cannot starve the rest. */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<() => void> = [];

  constructor(private capacity: number) {
    this.available = capacity;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.available > 0) {
      this.available--;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal?.reason);
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.available++;
    };
  }

  /** Changes the limit for slots acquired from now on. */
  resize(capacity: number): void {
    this.available += capacity - this.capacity;
    this.capacity = capacity;
    while (this.available > 0 && this.waiters.length > 0) {
      this.available--;
      this.waiters.shift()?.();
    }
  }
}
