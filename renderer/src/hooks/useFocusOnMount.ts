import { useEffect, type RefObject } from 'react';

/** Where focus lands when a view replaces another; the trap only places it on open. */
export function useFocusOnMount(dialog: RefObject<HTMLElement | null>, selector?: string) {
  useEffect(() => {
    const container = dialog.current;
    if (!container || !selector) return;
    (container.querySelector<HTMLElement>(`${selector}:not(:disabled)`) ?? container).focus();
  }, [dialog, selector]);
}
