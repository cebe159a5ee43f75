/**
 * What the page shows of a script too large to show whole (200,000 stray bitmaps make 142 MB):
 * its first lines, and the first lines of its plan, which comes after one check per action.
 */
export interface ScriptExcerpt {
  /** The script's first lines. */
  head: string;
  /** The plan's first lines and the line it starts on (1-based), when it starts past `head`. */
  plan?: { line: number; text: string };
  /** Lines in all. */
  lines: number;
  /** Characters in all. */
  length: number;
}

/** The first line of a repair or redefine script's plan, as `scriptParts` writes it. */
const PLAN_START = "\nprintf 'Plan for VM ";

/** Where the line `lines` lines after the one at `at` starts (or the end of `text`). */
function afterLines(text: string, at: number, lines: number): number {
  for (let i = 0; i < lines; i++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** The first `lines` lines of `script`, and as many of its plan. */
export function scriptExcerpt(script: string, lines: number): ScriptExcerpt {
  const headEnd = afterLines(script, 0, lines);
  const excerpt: ScriptExcerpt = {
    head: script.slice(0, headEnd),
    lines: countLines(script, script.length),
    length: script.length,
  };
  const planAt = script.indexOf(PLAN_START) + 1;
  if (planAt > headEnd) {
    excerpt.plan = {
      line: countLines(script, planAt) + 1,
      text: script.slice(planAt, afterLines(script, planAt, lines)),
    };
  }
  return excerpt;
}
