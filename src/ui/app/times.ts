import { utcTime as coreUtcTime } from '../../core/index.ts';
import { selectLocalTime, useEditor } from '../../state/index.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** Seconds as a Date, or undefined when they are no date (not whole seconds, beyond dates). */
function dateOf(seconds: string | undefined): Date | undefined {
  if (seconds === undefined || !/^-?\d+$/.test(seconds)) return undefined;
  const d = new Date(Number(seconds) * 1000);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A creation time in UTC, to the second: `2024-03-01 00:00:05`; seconds as they stand when no date holds them. */
export function utcTime(seconds: string | undefined): string {
  if (seconds === undefined) return '';
  if (!dateOf(seconds)) return seconds;
  // core's reading, as Compare and the CLI print it, without its ' UTC'.
  return coreUtcTime(seconds)?.replace(/ UTC$/, '') ?? seconds;
}

/**
 * A creation time in the browser's time zone as `virsh checkpoint-list` prints it in the host's
 * (strftime's `%Y-%m-%d %H:%M:%S %z`): `2024-03-01 01:00:05 +0100`, the offset of that moment.
 */
export function localTime(seconds: string | undefined): string {
  const d = dateOf(seconds);
  if (!d) return '';
  const offset = -d.getTimezoneOffset();
  const abs = Math.abs(offset);
  const zone = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

/** The browser's time zone by name (`Europe/Berlin`), asked once. */
let zone: string | undefined;
export function timeZoneName(): string {
  return (zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time');
}

/** A creation time said whole: UTC, and the local time with its zone when the operator asked for it. */
export function timeInWords(seconds: string | undefined, local: boolean): string {
  const utc = utcTime(seconds);
  if (!utc) return '';
  const here = local ? localTime(seconds) : '';
  return here ? `${utc} UTC (${here} ${timeZoneName()})` : `${utc} UTC`;
}

/** Whether times show the local time beside UTC: the operator's choice, kept with the session. */
export function useLocalTime(): boolean {
  return useEditor(selectLocalTime);
}
