/** Defensive readers for objects that come from a cluster and may be partial or malformed. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        result[k] = v;
      }
    }
  }
  return result;
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Epoch milliseconds of a Kubernetes timestamp, or undefined when missing, unparsable or not after the
 * epoch (Go's zero time `0001-01-01T00:00:00Z` marks "unset").
 */
export function parseTime(value: unknown): number | undefined {
  let ms: number;
  if (typeof value === 'string' && value !== '') {
    ms = Date.parse(value);
  } else if (typeof value === 'number') {
    ms = value;
  } else {
    return undefined;
  }
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** A positive integer from a number or a numeric string (revision annotations are strings). */
export function parsePositiveInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** `1 Event`, `3 Events`. */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
