import { constants as bufferConstants } from 'node:buffer';
import { GiB, MAX_PART_SIZE } from './partSizing';

/**
 * The largest part (or single PUT) this process can send: S3 allows 5 GiB, but a part is read
 * into one buffer, and Node 20 caps a buffer at 4 GiB.
 */
export const MAX_PART_BYTES = Math.min(MAX_PART_SIZE, bufferConstants.MAX_LENGTH);

/** What parts in flight may hold at once: part size × parts in flight stays under it. */
export const MEMORY_BUDGET = 2 * GiB;

export interface PartMemory {
  partSize: number;
  multipartThreshold: number;
  partsInFlight: number;
}

/**
 * Parts in flight lowered so that they fit the memory budget (never below one), and the sentence
 * that says so, or null when the settings already fit.
 */
export function fitMemoryBudget(
  settings: PartMemory,
  budget = MEMORY_BUDGET,
): { partsInFlight: number; note: string | null } {
  // A single PUT holds the whole file, up to the threshold, in a part slot too.
  const perSlot = Math.max(
    settings.partSize,
    Math.min(settings.multipartThreshold, MAX_PART_BYTES),
  );
  const fitting = Math.max(1, Math.floor(budget / perSlot));
  if (fitting >= settings.partsInFlight)
    return { partsInFlight: settings.partsInFlight, note: null };
  const gib = (bytes: number) => `${+(bytes / GiB).toFixed(2)} GiB`;
  return {
    partsInFlight: fitting,
    note:
      `${settings.partsInFlight} parts of ${gib(perSlot)} in flight would hold ${gib(perSlot * settings.partsInFlight)} ` +
      `of memory, over the ${gib(budget)} budget: sending ${fitting} at a time instead`,
  };
}

/** Parts of one file in flight: a file whose parts grew to fit 10,000 must stay in the budget. */
export function partsInFlightFor(
  partSize: number,
  partsInFlight: number,
  budget = MEMORY_BUDGET,
): number {
  return Math.max(1, Math.min(partsInFlight, Math.floor(budget / partSize)));
}
