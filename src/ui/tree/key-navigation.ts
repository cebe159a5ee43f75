/** When the tree last moved its focus by a key: the editor waits while keys keep moving it. */
let lastKeyMove = -Infinity;

export function noteKeyMove(): void {
  lastKeyMove = performance.now();
}

/** Whether a key moved the tree's focus just now (rather than a click, or anything else). */
export function movedByKey(withinMs = 100): boolean {
  return performance.now() - lastKeyMove < withinMs;
}
