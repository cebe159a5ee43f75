/**
 * libvirt keeps creation times as long long and sizes as unsigned long long: beyond what a JS number
 * holds exactly, so the model keeps them as canonical decimal text.
 */
const LONG_LONG_MAX = 2n ** 63n - 1n;
const UNSIGNED_LONG_LONG_MAX = 2n ** 64n - 1n;

/** Digits as libvirt reads them with strtoll: leading zeros dropped, out of range is none. */
export function readLongLong(text: string | undefined): string | undefined {
  return readInteger(text, LONG_LONG_MAX);
}

export function readUnsignedLongLong(text: string | undefined): string | undefined {
  return readInteger(text, UNSIGNED_LONG_LONG_MAX);
}

function readInteger(text: string | undefined, max: bigint): string | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value > max ? undefined : value.toString();
}

/** Compares two canonical decimal integers. */
export function compareInteger(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
