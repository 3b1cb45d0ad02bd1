import type { LifecycleAdditions } from '../../preload/contract';

/** The lifecycle dialog's form as typed. */
export interface LifecycleDraft {
  glacier: boolean;
  glacierPrefix: string;
  glacierDays: string;
  abortIncomplete: boolean;
  abortDays: string;
}

export const DEFAULT_LIFECYCLE_DRAFT: LifecycleDraft = {
  glacier: false,
  glacierPrefix: '',
  glacierDays: '30',
  abortIncomplete: true,
  abortDays: '7',
};

export type LifecycleDraftErrors = Partial<
  Record<'glacierPrefix' | 'glacierDays' | 'abortDays' | 'form', string>
>;

function wholeDays(text: string, min: number): number | null {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) && value >= min && value <= 36_500 ? value : null;
}

/** The rules to add, or what to fix; main checks the same limits again. */
export function additionsFrom(
  draft: LifecycleDraft,
): { ok: true; additions: LifecycleAdditions } | { ok: false; errors: LifecycleDraftErrors } {
  const errors: LifecycleDraftErrors = {};
  const additions: LifecycleAdditions = {};
  if (draft.glacier) {
    const days = wholeDays(draft.glacierDays, 0);
    const prefix = draft.glacierPrefix.trim().replace(/^\/+/, '');
    if (days === null) errors.glacierDays = 'Enter a whole number of days from 0 to 36500.';
    if (prefix.length > 1024) errors.glacierPrefix = 'The prefix is longer than 1024 characters.';
    if (days !== null) additions.glacier = { prefix, days };
  }
  if (draft.abortIncomplete) {
    const days = wholeDays(draft.abortDays, 1);
    if (days === null) errors.abortDays = 'Enter a whole number of days from 1 to 36500.';
    else additions.abortIncomplete = { days };
  }
  if (!draft.glacier && !draft.abortIncomplete) errors.form = 'Choose at least one rule to add.';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, additions };
}
