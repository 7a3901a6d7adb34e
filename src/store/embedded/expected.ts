/** `patchIf` conditions evaluated on a decoded document (the embedded adapter), with MongoDB's equality. */
import type { Expected, IndexValue } from '../ports.js';

function equal(stored: unknown, want: IndexValue): boolean {
  if (want instanceof Date) return stored instanceof Date && stored.getTime() === want.getTime();
  return stored === want;
}

/** Whether `doc` holds every expected value (an array matches when one element does; null matches null or absent). */
export function matchesExpected(doc: Record<string, unknown>, expected: Expected): boolean {
  for (const [field, want] of Object.entries(expected)) {
    const stored = doc[field];
    if (want === null) {
      if (stored !== null && stored !== undefined && !(Array.isArray(stored) && stored.includes(null))) return false;
    } else if (!(equal(stored, want) || (Array.isArray(stored) && stored.some((e) => equal(e, want))))) return false;
  }
  return true;
}
