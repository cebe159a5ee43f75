import type { Problem } from './problem.ts';

/** A problem as the page lists it: the line that says the fact, and what else said the same. */
export interface ExplainedProblem {
  problem: Problem;
  /** libxml2's words on the same fault (the schema check), said below the rule's own line. */
  details: Problem[];
}

/** The element of <domaincheckpoint> each field rule is about, as libxml2's messages name it. */
const FIELD_ELEMENT: Record<string, string> = {
  'field-name': 'name',
  'field-parent': 'parent',
  'field-creation-time': 'creationTime',
  'field-disk-name': 'disks',
  'field-disk-checkpoint': 'disks',
  'field-bitmap-on-no': 'disks',
};

/** The element a schema message is about: "Extra element disks in interleave", "element disks: …". */
function schemaElement(message: string): string | undefined {
  return /\belement ([\w.-]+)/.exec(message)?.[1];
}

/**
 * One file's problems with each fact said once: where a field rule knows what is wrong
 * ("disk vda: checkpoint must be 'bitmap' or 'no', not 'bitmapp'"), its line leads and libxml2's
 * schema messages about the same element follow it as details; the rest stay as they are, in order.
 */
export function explainProblems(problems: readonly Problem[]): ExplainedProblem[] {
  const leads = new Map<string, ExplainedProblem>();
  const out: ExplainedProblem[] = [];
  for (const p of problems) {
    const element = FIELD_ELEMENT[p.code];
    const item = { problem: p, details: [] };
    if (element !== undefined && !leads.has(element)) leads.set(element, item);
  }
  for (const p of problems) {
    if (p.code === 'schema') {
      const element = schemaElement(p.message);
      const lead = element === undefined ? undefined : leads.get(element);
      if (lead) {
        lead.details.push(p);
        continue;
      }
    }
    const element = FIELD_ELEMENT[p.code];
    const lead = element === undefined ? undefined : leads.get(element);
    out.push(lead?.problem === p ? lead : { problem: p, details: [] });
  }
  return out;
}

/**
 * A file's problems as the page counts them: one for each line the lists show (libxml2's words
 * under a field rule's line are that fault's details, not more faults), an error where the line or
 * a detail is one. The tree's badge, the editor's header and the Validation panel all count so.
 */
export function countListed(problems: readonly Problem[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  if (problems.length === 0) return { errors, warnings };
  for (const { problem, details } of explainProblems(problems)) {
    if (problem.severity === 'error' || details.some((d) => d.severity === 'error')) errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** A problem some files share word for word, with where it stands in each. */
export interface ProblemGroup {
  code: string;
  severity: Problem['severity'];
  message: string;
  /** Each file that has it (by the id it was given) and its line there. */
  files: { id: string; line: number | undefined }[];
}

/** Problems grouped across files: what several files share, and what is each file's own. */
export interface GroupedProblems {
  /** Problems two or more files have word for word, the most common first. */
  groups: ProblemGroup[];
  /** Each file's other problems, explained, in the files' order; files with none left out. */
  own: { id: string; problems: ExplainedProblem[] }[];
}

/**
 * Groups identical problems (same code, severity and words) across files, so that fifteen files
 * with one warning read as one line, "15 files: …"; what is only one file's stays with its file.
 */
export function groupProblems(
  files: readonly { id: string; problems: readonly Problem[] }[],
): GroupedProblems {
  const byKey = new Map<string, ProblemGroup>();
  const explained = files.map((f) => ({ id: f.id, problems: explainProblems(f.problems) }));
  for (const f of explained) {
    for (const { problem: p, details } of f.problems) {
      // A problem explained by others is its file's own story.
      if (details.length) continue;
      const key = `${p.severity}\u0000${p.code}\u0000${p.message}`;
      const group = byKey.get(key);
      if (group) {
        if (group.files[group.files.length - 1]?.id !== f.id)
          group.files.push({ id: f.id, line: p.line });
      } else {
        byKey.set(key, {
          code: p.code,
          severity: p.severity,
          message: p.message,
          files: [{ id: f.id, line: p.line }],
        });
      }
    }
  }
  const shared = new Set<string>();
  const groups: ProblemGroup[] = [];
  for (const [key, group] of byKey) {
    if (group.files.length < 2) continue;
    shared.add(key);
    groups.push(group);
  }
  groups.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      b.files.length - a.files.length,
  );
  const own: GroupedProblems['own'] = [];
  for (const f of explained) {
    const rest = f.problems.filter(
      ({ problem: p, details }) =>
        details.length > 0 || !shared.has(`${p.severity}\u0000${p.code}\u0000${p.message}`),
    );
    if (rest.length) own.push({ id: f.id, problems: rest });
  }
  return { groups, own };
}
