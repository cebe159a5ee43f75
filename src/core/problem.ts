/** Where something stands in a file: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/**
 * A problem is a value: a stable code, libvirt's wording where libvirt has one, and where it stands.
 * The UI and the CLI only render problems; they never build messages of their own.
 */
export interface Problem {
  code: string;
  severity: Severity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export type Result<T> =
  { ok: true; value: T; problems: Problem[] } | { ok: false; problems: Problem[] };

export function problem(
  code: string,
  message: string,
  at?: Position,
  severity: Severity = 'error',
): Problem {
  return at
    ? { code, severity, message, line: at.line, column: at.column }
    : { code, severity, message };
}

export function withFile(problems: Problem[], file: string): Problem[] {
  return problems.map((p) => ({ ...p, file }));
}

/** One problem as a line: `FILE:LINE: message`, or `FILE: message` where the line is unknown. */
export function describeProblem(p: Problem): string {
  const where = [p.file, p.line].filter((x) => x !== undefined && x !== '').join(':');
  return where ? `${where}: ${p.message}` : p.message;
}
