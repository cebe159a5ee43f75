import type { Forest } from './forest.ts';

type Task =
  | { kind: 'line'; text: string }
  | { kind: 'visit'; key: string; last: boolean; root: boolean; indent: string };

/**
 * The forest exactly as `virsh checkpoint-list --tree` prints it (virsh's vshTreePrint), blank lines
 * and trailing spaces included, one line at a time without its newline. Iterative, so a chain of
 * thousands does not exhaust the stack; lazy, because virsh indents each level further and the text
 * of a long chain grows with the square of its depth, past what one string can hold.
 */
export function* treeLines(forest: Forest): Generator<string, void, undefined> {
  const tasks: Task[] = [];
  for (const root of [...forest.roots].reverse())
    tasks.push({ kind: 'visit', key: root, last: true, root: true, indent: '' });
  while (tasks.length) {
    const task = tasks.pop() as Task;
    if (task.kind === 'line') {
      yield task.text;
      continue;
    }
    const { key, last, root, indent } = task;
    yield `${indent}${root ? '' : '+- '}${key}`;
    const childIndent = root ? indent : `${indent}${last ? ' ' : '|'} `;
    const kids = forest.children.get(key) ?? [];
    if (kids.length) yield `${childIndent}  |`;
    else if (last) tasks.push({ kind: 'line', text: childIndent });
    for (let i = kids.length - 1; i >= 0; i--) {
      tasks.push({
        kind: 'visit',
        key: kids[i] as string,
        last: i === kids.length - 1,
        root: false,
        indent: `${childIndent}  `,
      });
    }
  }
}

/** The whole `virsh checkpoint-list --tree` text, for trees small enough to hold in one string. */
export function formatTree(forest: Forest): string {
  let text = '';
  for (const line of treeLines(forest)) text += `${line}\n`;
  return text;
}
