import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAnswer, runVirsh, virshQuote } from './virsh.ts';
import type { TestHostVm as Vm } from '../../src/samples/index.ts';

/**
 * Each VM's <domain> as libvirt prints it inside a checkpoint (2-space indent, no trailing newline).
 * libvirt regenerates a checkpoint's domain while the project keeps it as written, so the cases
 * carry domains that are already in libvirt's form: the VM's inactive XML, then the domain that a
 * checkpoint redefined with it prints (a fixed point). A VM that cannot carry a checkpoint keeps
 * its inactive XML.
 */
export async function canonicalDomains(
  workDir: string,
  nodeXmlPath: string,
  vms: readonly Vm[],
): Promise<Map<string, string>> {
  const dumped = await runVirsh(
    workDir,
    nodeXmlPath,
    'domains',
    vms.map((vm) => ({
      key: vm.name,
      command: `dumpxml --domain ${virshQuote(vm.name)} --inactive --security-info`,
    })),
  );
  const inactive = new Map<string, string>();
  for (const vm of vms) {
    const answer = readAnswer(dumped.get(vm.name));
    if (!answer.ok) throw new Error(`virsh dumpxml ${vm.name}: ${answer.message}`);
    inactive.set(vm.name, answer.text.trimEnd());
  }

  const steps = vms.flatMap((vm) => {
    const file = join(workDir, `canonical-${vm.name}.xml`);
    const domain = indent(inactive.get(vm.name) ?? '');
    writeFileSync(
      file,
      `<domaincheckpoint>\n  <name>canonical</name>\n  <creationTime>1</creationTime>\n${domain}\n</domaincheckpoint>\n`,
    );
    const dom = `--domain ${virshQuote(vm.name)}`;
    return [
      {
        key: `${vm.name}:create`,
        command: `checkpoint-create ${dom} --xmlfile ${virshQuote(file)} --redefine`,
      },
      {
        key: `${vm.name}:dump`,
        command: `checkpoint-dumpxml ${dom} --checkpointname canonical --security-info`,
      },
    ];
  });
  const roundTrip = await runVirsh(workDir, nodeXmlPath, 'canonical', steps);
  const domains = new Map<string, string>();
  for (const vm of vms) {
    const created = readAnswer(roundTrip.get(`${vm.name}:create`));
    const dump = readAnswer(roundTrip.get(`${vm.name}:dump`));
    domains.set(
      vm.name,
      created.ok && dump.ok ? domainOf(dump.text) : indent(inactive.get(vm.name) ?? ''),
    );
  }
  return domains;
}

function indent(xml: string): string {
  return xml
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function domainOf(checkpointXml: string): string {
  const lines = checkpointXml.split('\n');
  const start = lines.findIndex((l) => l.startsWith('  <domain '));
  const end = lines.indexOf('  </domain>');
  if (start < 0 || end < start) throw new Error(`no <domain> in\n${checkpointXml}`);
  return lines.slice(start, end + 1).join('\n');
}
