import type { RestoreTier } from '../../preload/contract';

export const MAX_RESTORE_DAYS = 30_000;

export interface TierOption {
  tier: RestoreTier;
  /** How long the restore takes from Glacier Flexible Retrieval and from Deep Archive. */
  glacier: string;
  deepArchive: string | null;
  available: boolean;
}

const TIERS: readonly Omit<TierOption, 'available'>[] = [
  { tier: 'Expedited', glacier: '1–5 minutes', deepArchive: null },
  { tier: 'Standard', glacier: '3–5 hours', deepArchive: 'within 12 hours' },
  { tier: 'Bulk', glacier: '5–12 hours', deepArchive: 'within 48 hours' },
];

/** Deep Archive has no Expedited tier; without a known class, both delays are shown. */
export function tierOptions(storageClass?: string): TierOption[] {
  return TIERS.map((option) => ({
    ...option,
    available: !(storageClass === 'DEEP_ARCHIVE' && option.deepArchive === null),
  }));
}

export function expectedDelay(option: TierOption, storageClass?: string): string {
  if (storageClass === 'DEEP_ARCHIVE') return option.deepArchive ?? 'not available';
  if (storageClass === 'GLACIER') return option.glacier;
  return `${option.glacier} from Glacier; ${option.deepArchive ?? 'not available'} from Deep Archive`;
}

export type DaysCheck = { ok: true; days: number } | { ok: false; error: string };

export function parseDays(text: string): DaysCheck {
  const days = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || days < 1 || days > MAX_RESTORE_DAYS) {
    return { ok: false, error: `Enter a whole number of days from 1 to ${MAX_RESTORE_DAYS}.` };
  }
  return { ok: true, days };
}

/** What the confirmation says will happen, before anything is sent. */
export function restoreSummary(key: string, days: number, tier: RestoreTier): string {
  return `A copy of ${key} will be readable for ${days} day${days === 1 ? '' : 's'} once the ${tier} retrieval finishes. Retrievals and the copy's storage are billed by the store.`;
}
