import type { Forest } from './forest.ts';

type Task =
  | { kind: 'line'; text: string }
  | { kind: 'visit'; key: string; last: boolean; root: boolean; indent: string };

/**
 * The forest exactly as `virsh checkpoint-list --tree` prints it (virsh's vshTreePrint), blank lines
 * and trailing spaces included. Iterative, so a chain of thousands does not exhaust the stack.
 */
export function formatTree(forest: Forest): string {
  const out: string[] = [];
  const tasks: Task[] = [];
  for (const root of [...forest.roots].reverse())
    tasks.push({ kind: 'visit', key: root, last: true, root: true, indent: '' });
  while (tasks.length) {
    const task = tasks.pop() as Task;
    if (task.kind === 'line') {
      out.push(task.text);
      continue;
    }
    const { key, last, root, indent } = task;
    out.push(`${indent}${root ? '' : '+- '}${key}`);
    const childIndent = root ? indent : `${indent}${last ? ' ' : '|'} `;
    const kids = forest.children.get(key) ?? [];
    if (kids.length) out.push(`${childIndent}  |`);
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
  return out.map((l) => `${l}\n`).join('');
}
