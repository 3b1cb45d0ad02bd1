/**
 * Reuses the memory that parts are read into. Allocating a fresh 8 MiB buffer per part keeps the
 * garbage collector busy and lets resident memory run ahead of what is really in flight.
 */
export class BufferPool {
  private readonly free: ArrayBuffer[] = [];

  /** Keeps at most this many idle buffers: one per part that may be in flight. */
  constructor(private readonly maxIdle: number) {}

  take(size: number): Buffer {
    const index = this.free.findIndex((memory) => memory.byteLength >= size);
    const memory =
      index >= 0 ? this.free.splice(index, 1)[0]! : Buffer.allocUnsafeSlow(size).buffer;
    return Buffer.from(memory as ArrayBuffer, 0, size);
  }

  give(buffer: Buffer): void {
    const memory = buffer.buffer as ArrayBuffer;
    if (buffer.byteOffset !== 0 || this.free.includes(memory)) return;
    this.free.push(memory);
    if (this.free.length > this.maxIdle) {
      this.free.sort((a, b) => b.byteLength - a.byteLength);
      this.free.pop();
    }
  }
}
