import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffCase } from './generate.ts';
import { mapLimit } from './limit.ts';
import { PARENTS } from './pieces.ts';
import type { VirshStep } from './virsh.ts';
import { readAnswer, runVirsh, virshQuote } from './virsh.ts';

/** libvirt's answer to one case: the XML checkpoint-dumpxml printed, or the error it reported. */
export type LibvirtAnswer = { ok: true; xml: string } | { ok: false; message: string };

const CASES_PER_SESSION = 60;

/** Where a case's file is written; the CLI reads the same file. */
export const caseFile = (workDir: string, c: DiffCase): string => join(workDir, `${c.id}.xml`);

/**
 * Redefines each case on its VM and dumps it, many cases per virsh session. Each session first
 * redefines the checkpoints that cases name as parent (libvirt refuses an unknown parent), and
 * deletes each case's checkpoint after dumping it so that the next case starts from the same state.
 */
export async function askLibvirt(
  workDir: string,
  nodeXmlPath: string,
  cases: readonly DiffCase[],
): Promise<Map<string, LibvirtAnswer>> {
  const parentFiles = PARENTS.map((parent, i) => {
    const file = join(workDir, `parent-${i}.xml`);
    writeFileSync(
      file,
      `<domaincheckpoint>\n  <name>${parent}</name>\n  <creationTime>${1000 + i}</creationTime>\n</domaincheckpoint>\n`,
    );
    return file;
  });
  const sessions: DiffCase[][] = [];
  for (const vmName of new Set(cases.map((c) => c.vm.name))) {
    const ofVm = cases.filter((c) => c.vm.name === vmName);
    for (let i = 0; i < ofVm.length; i += CASES_PER_SESSION) {
      sessions.push(ofVm.slice(i, i + CASES_PER_SESSION));
    }
  }
  const answers = new Map<string, LibvirtAnswer>();
  await mapLimit(sessions, 2, async (session, index) => {
    const vm = session[0]?.vm;
    if (!vm) return;
    const dom = `--domain ${virshQuote(vm.name)}`;
    const steps: VirshStep[] = parentFiles.map((file, i) => ({
      key: `parent-${i}`,
      command: `checkpoint-create ${dom} --xmlfile ${virshQuote(file)} --redefine`,
    }));
    for (const c of session) {
      writeFileSync(caseFile(workDir, c), c.bytes ?? c.xml);
      steps.push({
        key: `${c.id}:create`,
        command: `checkpoint-create ${dom} --xmlfile ${virshQuote(caseFile(workDir, c))} --redefine`,
      });
      if (c.name === undefined) continue;
      const checkpoint = `--checkpointname=${c.name}`;
      steps.push(
        {
          key: `${c.id}:dump`,
          command: `checkpoint-dumpxml ${dom} ${checkpoint} ${c.dumpFlags.join(' ')}`,
        },
        { key: `${c.id}:delete`, command: `checkpoint-delete ${dom} ${checkpoint} --metadata` },
      );
    }
    const sections = await runVirsh(workDir, nodeXmlPath, `session-${index}`, steps);
    parentFiles.forEach((_, i) => {
      const setup = readAnswer(sections.get(`parent-${i}`));
      if (!setup.ok) throw new Error(`cannot redefine parent ${PARENTS[i]}: ${setup.message}`);
    });
    for (const c of session) answers.set(c.id, answerOf(c, sections));
  });
  return answers;
}

function answerOf(c: DiffCase, sections: Map<string, string>): LibvirtAnswer {
  const created = readAnswer(sections.get(`${c.id}:create`));
  if (!created.ok) return created;
  if (c.name === undefined) {
    return { ok: false, message: 'harness: libvirt accepted a file that has no usable name' };
  }
  const dump = readAnswer(sections.get(`${c.id}:dump`));
  if (!dump.ok)
    return { ok: false, message: `harness: checkpoint-dumpxml failed: ${dump.message}` };
  // virsh prints the XML and then a newline of its own.
  return { ok: true, xml: dump.text.endsWith('\n\n') ? dump.text.slice(0, -1) : dump.text };
}
