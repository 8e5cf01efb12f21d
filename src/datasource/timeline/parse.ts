/** Defensive readers for objects that come from a cluster and may be partial or malformed. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NO_FIELDS: Readonly<Record<string, unknown>> = Object.freeze({});

/** The value when it is a record, else a shared empty one (to read from, never to write to). */
export function recordOrEmpty(value: unknown): Readonly<Record<string, unknown>> {
  return isRecord(value) ? value : NO_FIELDS;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (isRecord(value)) {
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (typeof v === 'string') {
        result[k] = v;
      }
    }
  }
  return result;
}

/** One string entry of a label or annotation map, read without copying the map as `stringMap` does. */
export function stringAt(map: unknown, key: string): string | undefined {
  if (!isRecord(map)) {
    return undefined;
  }
  const value = map[key];
  return typeof value === 'string' ? value : undefined;
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
    ms = parseSecondsUtc(value) ?? Date.parse(value);
  } else if (typeof value === 'number') {
    ms = value;
  } else {
    return undefined;
  }
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

const CHAR_0 = 48;

/** The number written by the two digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - CHAR_0;
  const ones = text.charCodeAt(at + 1) - CHAR_0;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * `Date.parse` of the form the API server writes, `YYYY-MM-DDTHH:MM:SSZ`, without its general parser; undefined
 * for any other form (and for the values where this one would need `Date.parse`'s rules: years before 100, hour 24).
 */
function parseSecondsUtc(text: string): number | undefined {
  if (
    text.length !== 20 ||
    text.charCodeAt(4) !== 45 /* - */ ||
    text.charCodeAt(7) !== 45 /* - */ ||
    text.charCodeAt(10) !== 84 /* T */ ||
    text.charCodeAt(13) !== 58 /* : */ ||
    text.charCodeAt(16) !== 58 /* : */ ||
    text.charCodeAt(19) !== 90 /* Z */
  ) {
    return undefined;
  }
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (
    century < 1 ||
    yearInCentury < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return undefined;
  }
  // Like Date.parse, a day past the end of its month rolls over into the next month.
  return Date.UTC(century * 100 + yearInCentury, month - 1, day, hour, minute, second);
}

const DIGITS_WITH_SPACE = /^\s*\d+\s*$/;

/** A positive integer from a number or a numeric string (revision annotations are strings). */
export function parsePositiveInt(value: unknown): number | undefined {
  const n = typeof value === 'string' && DIGITS_WITH_SPACE.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The last millisecond of 9999-12-31: up to it, `toISOString` writes a four-digit year. */
const LAST_FOUR_DIGIT_YEAR_MS = 253402300799999;
const DAY_MS = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `2026-11-20T10:00:00Z`; milliseconds only when there are some (`2026-11-20T10:00:00.250Z`). */
export function formatTime(ms: number): string {
  if (ms % 1000 !== 0 || !(ms >= 0 && ms <= LAST_FOUR_DIGIT_YEAR_MS)) {
    return new Date(ms).toISOString().replace('.000Z', 'Z');
  }
  // The common case, whole seconds since 1970, without a Date: the civil date of a day number (H. Hinnant's
  // days-to-civil algorithm, for days since 1970-01-01).
  const days = Math.floor(ms / DAY_MS);
  const daySeconds = (ms - days * DAY_MS) / 1000;
  const shifted = days + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(daySeconds / 3600);
  const minute = Math.floor((daySeconds % 3600) / 60);
  const second = daySeconds % 60;
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}Z`;
}

/** `1 Event`, `3 Events`. */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
