/** Creation times as people read them: a UTC date, and the gap between two in words. */

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds since the epoch as a UTC date and time: `2024-03-01 00:00:00 UTC`; undefined beyond dates. */
export function utcTime(seconds: string): string | undefined {
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** A gap in seconds in words: `1 day 2 h 5 min later`, `3 h earlier`, `at the same second`. */
export function describeGap(seconds: string): string {
  let s = BigInt(seconds);
  if (s === 0n) return 'at the same second';
  const later = s > 0n;
  if (!later) s = -s;
  const days = s / 86400n;
  const parts: string[] = [];
  if (days) parts.push(`${days} ${days === 1n ? 'day' : 'days'}`);
  const hours = (s % 86400n) / 3600n;
  if (hours) parts.push(`${hours} h`);
  const minutes = (s % 3600n) / 60n;
  if (minutes) parts.push(`${minutes} min`);
  if (s % 60n) parts.push(`${s % 60n} s`);
  return `${parts.join(' ')} ${later ? 'later' : 'earlier'}`;
}
