/**
 * A duration as people say it: whole seconds from 10 s up, tenths below ("no answer in 39 s",
 * "no answer in 1.5 s"), never the milliseconds a timer was computed with.
 */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 10 ? `${Math.round(s)} s` : `${Math.round(s * 10) / 10} s`;
}
