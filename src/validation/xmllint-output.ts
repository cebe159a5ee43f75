import type { Problem } from '../core/problem.ts';
import type { FileVerdict, XmlFile } from './validator.ts';
import { VALIDATION_CODES } from './validator.ts';
import { append } from '../core/append.ts';

/** How a run ended: xmllint's exit status, or why the wasm runtime stopped before it exited. */
export type RunEnd = { kind: 'exited'; status: number } | { kind: 'aborted'; reason: string };

/** The name xmllint sees for the file at `index`: never a user's path, which could look like an option. */
export function virtualName(index: number): string {
  return `in/${index}.xml`;
}

// xmllint's exit statuses (xmllint.c, XMLLINT_ERR_SCHEMACOMP and XMLLINT_ERR_MEM).
const EXIT_SCHEMA_COMPILE = 5;
const EXIT_OUT_OF_MEMORY = 9;

const VERDICT =
  /^in\/(\d+)\.xml (validates|fails to validate|validation generated an internal error)$/;
const LOCATED = /^in\/(\d+)\.xml:(\d+): (.*)$/;
const CARET = /^\s*\^\s*$/;
// A message without a file: line, e.g. "Relax-NG validity error : Extra element disks in interleave".
const UNLOCATED = /^[\w -]*\b(?:error|warning) ?: /;
// The context libxml2 prints for an error in an entity's text: where in the entity, no message.
const ENTITY_CONTEXT = /^Entity: line \d+: ?$/;
const PARSER_ERROR = /\bparser error : /;
const LEVEL = /\b(error|warning) ?: /;
// libxml2 names the element first; an element may be called "warning", so it is not the level.
const ELEMENT_PREFIX = /^element \S+: /;

interface FileState {
  outcome?: 'validates' | 'fails' | 'internal-error';
  problems: Problem[];
}

/**
 * Turns xmllint's stderr into one verdict per file. xmllint handles the files in order: it parses one
 * (parser errors name it and its line, then two lines of context: the source line and a caret), then
 * validates it (errors name it, a few name nothing), then says "NAME validates" or "NAME fails to
 * validate". A file that does not parse gets no such line. So a validity message that names no
 * file belongs to the next file that gets a verdict, while a parser error that names none (one in
 * an entity's text: "Entity: line 1: parser error") belongs to the file being read: the one after
 * the last verdict, or the last one named, since it may never get a verdict. A line that is neither message nor context continues
 * the message before it (libxml2's "Bytes: 0xFF 0xFE" under an encoding error).
 */
export function readXmllintOutput(
  files: readonly XmlFile[],
  lines: readonly string[],
  end: RunEnd,
  maxMemoryMiB: number,
): FileVerdict[] {
  const states: FileState[] = files.map(() => ({ problems: [] }));
  let pending: Problem[] = [];
  let last: Problem | undefined;
  // The file xmllint is reading: after a verdict the next one, after a located message that one.
  let current = 0;
  // Where each message stood in the output: a file's problems keep xmllint's order.
  const order = new Map<Problem, number>();

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (text.trim() === '' || CARET.test(text) || ENTITY_CONTEXT.test(text)) continue;
    if (CARET.test(lines[i + 1] ?? '') && !LOCATED.test(text)) {
      i++; // a source line of context and its caret
      continue;
    }
    const verdict = VERDICT.exec(text);
    const state = verdict ? states[Number(verdict[1])] : undefined;
    if (verdict && state) {
      state.outcome =
        verdict[2] === 'validates'
          ? 'validates'
          : verdict[2] === 'fails to validate'
            ? 'fails'
            : 'internal-error';
      current = Number(verdict[1]) + 1;
      append(state.problems, pending);
      pending = [];
      last = undefined;
      continue;
    }
    const located = LOCATED.exec(text);
    const target = located ? states[Number(located[1])] : undefined;
    if (located && target) {
      current = Number(located[1]);
      last = readMessage(located[3] ?? '', Number(located[2]), maxMemoryMiB);
      order.set(last, i);
      target.problems.push(last);
      continue;
    }
    if (UNLOCATED.test(text) || !last) {
      last = readMessage(text, undefined, maxMemoryMiB);
      order.set(last, i);
      const reading = PARSER_ERROR.test(text) ? states[current] : undefined;
      (reading?.problems ?? pending).push(last);
      continue;
    }
    last.message += `\n${text}`;
  }

  // A schema that does not compile stops xmllint before any file: what it said is about the schema.
  if (end.kind === 'exited' && end.status === EXIT_SCHEMA_COMPILE) {
    for (const state of states) pending = append(state.problems.splice(0), pending);
  }
  const failure = describeRunFailure(end, states, pending, maxMemoryMiB);
  return files.map((file, index) => {
    const state = states[index] ?? { problems: [] };
    const problems: Problem[] = dropRepeats(
      state.problems.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)),
    ).map((p) => ({ ...p, file: file.fileName }));
    const hasError = problems.some((p) => p.severity === 'error');
    if (state.outcome === 'validates') {
      // xmllint's verdict stands: what it said of a file it validates (a namespace error, an
      // entity an external subset may declare) is not fatal to libxml2, so it is a warning here.
      return {
        fileName: file.fileName,
        valid: true,
        problems: problems.map((p) => (p.severity === 'error' ? { ...p, severity: 'warning' } : p)),
      };
    }
    if (state.outcome === 'internal-error') {
      problems.push(
        fileProblem(
          VALIDATION_CODES.failed,
          'xmllint: validation generated an internal error',
          file,
        ),
      );
    } else if (!state.outcome && !hasError) {
      problems.push(fileProblem(failure.code, failure.message, file));
    }
    return { fileName: file.fileName, valid: false, problems };
  });
}

/** Why files that got neither a verdict nor an error went unanswered. */
function describeRunFailure(
  end: RunEnd,
  states: readonly FileState[],
  unassigned: readonly Problem[],
  maxMemoryMiB: number,
): { code: string; message: string } {
  const outOfMemory =
    (end.kind === 'exited' && end.status === EXIT_OUT_OF_MEMORY) ||
    (end.kind === 'aborted' && /memory/i.test(end.reason)) ||
    states.some((s) => s.problems.some((p) => p.code === VALIDATION_CODES.outOfMemory)) ||
    unassigned.some((p) => p.code === VALIDATION_CODES.outOfMemory);
  if (outOfMemory) {
    return { code: VALIDATION_CODES.outOfMemory, message: outOfMemoryMessage(maxMemoryMiB) };
  }
  const said = unassigned.map((p) => p.message).join('\n');
  if (end.kind === 'aborted') {
    return { code: VALIDATION_CODES.failed, message: `xmllint stopped: ${end.reason}` };
  }
  if (end.status === EXIT_SCHEMA_COMPILE) {
    return {
      code: VALIDATION_CODES.failed,
      message: `The schema set does not compile${said ? `:\n${said}` : ''}`,
    };
  }
  return {
    code: VALIDATION_CODES.failed,
    message: `xmllint gave no verdict (exit status ${end.status})${said ? `:\n${said}` : ''}`,
  };
}

function outOfMemoryMessage(maxMemoryMiB: number): string {
  return `Validation ran out of memory (limit ${maxMemoryMiB} MiB): validate fewer or smaller files at once`;
}

function readMessage(text: string, line: number | undefined, maxMemoryMiB: number): Problem {
  const level = LEVEL.exec(text.replace(ELEMENT_PREFIX, ''))?.[1];
  const severity = level === 'warning' ? 'warning' : 'error';
  const at = line === undefined ? {} : { line };
  if (/\bout of memory\b/i.test(text)) {
    return {
      code: VALIDATION_CODES.outOfMemory,
      severity: 'error',
      message: `${outOfMemoryMessage(maxMemoryMiB)} (${text})`,
      ...at,
    };
  }
  const code = /\bRelax-NG\b/.test(text)
    ? VALIDATION_CODES.schema
    : severity === 'warning'
      ? VALIDATION_CODES.xmlWarning
      : VALIDATION_CODES.malformed;
  return { code, severity, message: text, ...at };
}

// libxml2 reports some failures twice (out of memory: once from the parser, once from xmllint).
function dropRepeats(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\u0000${p.line ?? ''}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function fileProblem(code: string, message: string, file: XmlFile): Problem {
  return { code, severity: 'error', message, file: file.fileName };
}
