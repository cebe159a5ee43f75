import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { RedefineProfile } from '../core/index.ts';
import {
  creationTimeProblem,
  profileOfVersion,
  readLongLong,
  readUnsignedLongLong,
} from '../core/index.ts';
import { loadSchemaSet } from '../validation/node.ts';
import type { CheckCommandOptions } from './check-command.ts';
import { checkCommand } from './check-command.ts';
import { collect, connectionHost, DEFAULT_TIMEOUT_MS } from './collect-command.ts';
import { createCommand } from './create-command.ts';
import { diffCommand } from './diff-command.ts';
import { firstLine, InputError, UsageError } from './errors.ts';
import { formatCommand, formatMany } from './format-command.ts';
import type { Gathered, GatheredFile } from './gather.ts';
import { gatherInputs, passedOverLine } from './gather.ts';
import { interruptible, Interrupted } from './interrupt.ts';
import type { InputFile } from './io.ts';
import { readInput as readFile } from './io.ts';
import type { Output } from './output.ts';
import { processOutput, writeLines } from './output.ts';
import type { VmCheckpoint } from './pick-inputs.ts';
import {
  checkpointsOf,
  isFile,
  isFolderOrBundle,
  oneDefinition,
  oneRequest,
  resolvePair,
} from './pick-inputs.ts';
import type { TreeListing } from './tree-command.ts';
import { treeCommand } from './tree-command.ts';
import { validateCommand } from './validate-command.ts';
import type { VmInputs } from './vm-inputs.ts';
import { oneVm, repeatLines, splitByVm } from './vm-inputs.ts';

const USAGE = `usage: checkpoint-editor COMMAND …
  validate [--schemas DIR] FILE…|DIR…|BUNDLE…
  format [--redefine] [--require-domain | --allow-no-domain] [--vm-uuid UUID] [--no-domain]
         [--security-info] [--size] [--out-dir DIR] FILE…|DIR…|BUNDLE…
  create --now SECONDS [--parent NAME] (--domain FILE|DIR|BUNDLE | --vm-disks vda,vdb)
         [--sizes vda=N,…] [--no-domain] [--security-info] [--size] FILE|DIR|BUNDLE
  tree [--roots | --leaves | --topological] FILE…|DIR…|BUNDLE…
  check [--images FILE.json…] [--running] [--target-vm FILE]
        [--json | --prometheus | --backup-xml | --repair-script] FILE…|DIR…|BUNDLE…
  check --connect URI [--timeout SECONDS] [--json | --prometheus | --backup-xml | --repair-script]
        DOMAIN
  collect [--connect URI] [--timeout SECONDS] DOMAIN DIR
  diff A.xml B.xml
  diff A B FILE…|DIR…|BUNDLE…   (A and B: checkpoint names or paths among those)
Every command takes --max-size BYTES (default 16 MiB): a larger file is refused.
Folders are walked through (*.xml and *.json read, other files counted); bundles (.tar.gz, .tgz,
.tar, .zip) are opened as their folder. Only regular files are read; those that are not are skipped,
and said so. Exit status: 0 fine; 1 libvirt would refuse, a full backup is needed or a file was
skipped; 2 a usage error or a file named that cannot be read.
`;

const DUMP_FLAGS = {
  'no-domain': { type: 'boolean' },
  'security-info': { type: 'boolean' },
  size: { type: 'boolean' },
} as const;

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * The redefine rule of the libvirt whose schemas are installed (7.0 and later: `<domain>`
 * optional); schemas of no known version keep the page's default, libvirt 7.0's rule.
 */
async function schemasProfile(): Promise<RedefineProfile> {
  return profileOfVersion((await loadSchemaSet()).version) ?? 'allow-no-domain';
}

/** libvirt keeps the creation time as a long long: what it cannot hold is refused, not printed. */
function seconds(text: string | undefined): string {
  if (text === undefined) throw new UsageError('create takes --now SECONDS');
  const now = readLongLong(text);
  if (now === undefined) throw new UsageError(`--now ${text}: ${creationTimeProblem(text)}`);
  return now;
}

function sizes(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const m = /^([^=]+)=(.*)$/.exec(pair);
    if (!m) throw new UsageError(`--sizes: '${pair}' is not DISK=BYTES`);
    // libvirt keeps a bitmap's size as an unsigned long long
    const bytes = readUnsignedLongLong(m[2]);
    if (bytes === undefined) {
      throw new UsageError(`--sizes: '${pair}': bytes are whole, at most 18446744073709551615`);
    }
    out[m[1] as string] = bytes;
  }
  return out;
}

/** --max-size BYTES, taken by every command: files larger are refused, never read whole. */
function takeMaxSize(args: string[]): { rest: string[]; maxBytes?: number } {
  const rest: string[] = [];
  let maxBytes: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value =
      arg === '--max-size' ? args[++i] : arg.startsWith('--max-size=') ? arg.slice(11) : undefined;
    if (value === undefined && arg !== '--max-size') {
      rest.push(arg);
      continue;
    }
    if (value === undefined || !/^\d+$/.test(value))
      throw new UsageError('--max-size takes a number of bytes');
    maxBytes = Number(value);
  }
  return maxBytes === undefined ? { rest } : { rest, maxBytes };
}

/**
 * Runs a command on the files gathered, after one line for each entry passed over that should have
 * been read (the exit status then at least 1) and one line counting the other files skipped.
 */
async function onInputs<T>(
  inputs: Gathered,
  output: Output,
  command: (files: GatheredFile[]) => Promise<T>,
): Promise<{ result: T; skipped: boolean }> {
  for (const { path, reason } of inputs.skipped) output.err(`error: ${path}: ${reason}, skipped\n`);
  const passed = passedOverLine(inputs.passedOver);
  if (passed) output.err(`${passed}\n`);
  return { result: await command(inputs.files), skipped: inputs.skipped.length > 0 };
}

/** The VMs given, each file read once: a repeat of one read before is said on stderr, no error. */
function said(vms: VmInputs[], output: Output): VmInputs[] {
  for (const line of repeatLines(vms)) output.err(`${line}\n`);
  return vms;
}

/** The exit status of a command over gathered inputs: at least 1 when an entry was skipped. */
async function statusOf(run: Promise<{ result: number; skipped: boolean }>): Promise<number> {
  const { result, skipped } = await run;
  return skipped ? Math.max(result, 1) : result;
}

async function run(argv: string[], output: Output): Promise<number> {
  const [command, ...all] = argv;
  const { rest: args, maxBytes } = takeMaxSize(all);
  const readInput = (file: string) => readFile(file, maxBytes);
  switch (command) {
    case 'validate': {
      const { values, positionals } = parse(args, { schemas: { type: 'string' } });
      if (!positionals.length) throw new UsageError('expected FILE…|DIR…');
      const gathered = await gatherInputs(positionals, maxBytes);
      return statusOf(
        onInputs(gathered, output, (files) => {
          // Each file validated once, as the other commands read it: a repeat is said, no error.
          const repeats = new Set(
            said(splitByVm(files, gathered.backups), output).flatMap((vm) =>
              vm.repeats.map((r) => r.file),
            ),
          );
          return validateCommand(
            files.filter((f) => !repeats.has(f)),
            values.schemas,
            output,
          );
        }),
      );
    }
    case 'format': {
      const { values, positionals } = parse(args, {
        redefine: { type: 'boolean' },
        'allow-no-domain': { type: 'boolean' },
        'require-domain': { type: 'boolean' },
        'vm-uuid': { type: 'string' },
        'out-dir': { type: 'string' },
        ...DUMP_FLAGS,
      });
      if (values['allow-no-domain'] && values['require-domain'])
        throw new UsageError('--allow-no-domain and --require-domain exclude each other');
      // Without either, the rule of the libvirt whose schemas are loaded, as the page does.
      const profile = values['require-domain']
        ? 'strict'
        : values['allow-no-domain']
          ? 'allow-no-domain'
          : await schemasProfile();
      const options = {
        redefine: !!values.redefine,
        profile,
        ...(values['vm-uuid'] !== undefined ? { vmUuid: values['vm-uuid'] } : {}),
        noDomain: !!values['no-domain'],
        securityInfo: !!values['security-info'],
        size: !!values.size,
      };
      if (!positionals.length) throw new UsageError('expected FILE…|DIR…|BUNDLE…');
      const outDir = values['out-dir'];
      const [first] = positionals as [string];
      // One file named: exactly as ever (a <domain> in it is libvirt's refusal, exit 1).
      if (positionals.length === 1 && outDir === undefined && !isFolderOrBundle(first))
        return formatCommand(readInput(first), options, output);
      const gathered = await gatherInputs(positionals, maxBytes);
      return statusOf(
        onInputs(gathered, output, async (files) => {
          const vms = said(splitByVm(files, gathered.backups), output);
          if (values['vm-uuid'] !== undefined && vms.length > 1)
            throw new UsageError(
              `--vm-uuid names one VM's uuid, and the inputs hold ${vms.length} VMs (${vms.map((v) => v.label).join(', ')})`,
            );
          const checkpoints = checkpointsOf(vms, output, 'formatted');
          if (!checkpoints.length)
            throw new InputError(`${positionals.join(', ')}: no checkpoint to format`);
          if (checkpoints.length === 1 && outDir === undefined)
            return formatCommand((checkpoints[0] as VmCheckpoint).file, options, output);
          return formatMany(checkpoints, options, outDir, output);
        }),
      );
    }
    case 'create': {
      const { values, positionals } = parse(args, {
        now: { type: 'string' },
        parent: { type: 'string' },
        domain: { type: 'string' },
        'vm-disks': { type: 'string' },
        sizes: { type: 'string' },
        ...DUMP_FLAGS,
      });
      if ((values.domain === undefined) === (values['vm-disks'] === undefined)) {
        throw new UsageError('create takes one of --domain FILE or --vm-disks LIST');
      }
      const diskSizes = sizes(values.sizes);
      const now = seconds(values.now);
      if (!positionals.length) throw new UsageError('expected the request: FILE|DIR|BUNDLE');
      // A folder or a bundle: its one checkpoint is the request; its VM's definition, the domain.
      let skipped = false;
      const from = async (paths: string[], pick: (vms: VmInputs[], where: string) => InputFile) => {
        if (paths.length === 1 && !isFolderOrBundle(paths[0] as string))
          return readInput(paths[0] as string);
        const gathered = await gatherInputs(paths, maxBytes);
        const { result } = await onInputs(gathered, output, async (files) =>
          pick(said(splitByVm(files, gathered.backups), output), paths.join(', ')),
        );
        skipped ||= gathered.skipped.length > 0;
        return result;
      };
      const request = await from(positionals, (vms, where) =>
        oneRequest(checkpointsOf(vms, output, 'the request'), where),
      );
      const domain =
        values.domain === undefined ? undefined : await from([values.domain], oneDefinition);
      const status = await createCommand(
        request,
        {
          now,
          ...(values.parent !== undefined ? { parent: values.parent } : {}),
          ...(domain !== undefined ? { domain } : {}),
          ...(values['vm-disks'] !== undefined
            ? { vmDisks: values['vm-disks'].split(',').filter(Boolean) }
            : {}),
          ...(diskSizes ? { sizes: diskSizes } : {}),
          noDomain: !!values['no-domain'],
          securityInfo: !!values['security-info'],
          size: !!values.size,
        },
        output,
      );
      // An entry of a folder or bundle skipped: at least 1, as for every command.
      return skipped ? Math.max(status, 1) : status;
    }
    case 'tree': {
      const { values, positionals } = parse(args, {
        roots: { type: 'boolean' },
        leaves: { type: 'boolean' },
        topological: { type: 'boolean' },
      });
      const chosen = (['roots', 'leaves', 'topological'] as const).filter((k) => values[k]);
      if (chosen.length > 1)
        throw new UsageError('--roots, --leaves and --topological exclude each other');
      if (!positionals.length) throw new UsageError('expected FILE…|DIR…');
      const listing: TreeListing = chosen[0] ?? 'tree';
      const gathered = await gatherInputs(positionals, maxBytes);
      return statusOf(
        onInputs(gathered, output, (files) =>
          treeCommand(said(splitByVm(files, gathered.backups), output), listing, output),
        ),
      );
    }
    case 'collect': {
      const { values, positionals } = parse(args, {
        connect: { type: 'string' },
        timeout: { type: 'string' },
      });
      if (positionals.length !== 2) throw new UsageError('collect takes DOMAIN DIR');
      const [domain, dir] = positionals as [string, string];
      const timeoutMs = timeout(values.timeout);
      const collected = await interruptible((signal) =>
        collect({
          domain,
          dir,
          timeoutMs,
          signal,
          ...(values.connect !== undefined ? { connect: values.connect } : {}),
        }),
      );
      for (const note of collected.notes) output.err(`${note}\n`);
      await writeLines(
        output,
        collected.wrote.map((w) => `wrote ${w}`),
      );
      for (const s of [...collected.skipped, ...collected.passedOver]) output.err(`skipped ${s}\n`);
      return collected.skipped.length ? 1 : 0;
    }
    case 'check': {
      const { values, positionals } = parse(args, {
        images: { type: 'string', multiple: true },
        running: { type: 'boolean' },
        'target-vm': { type: 'string' },
        connect: { type: 'string' },
        'backup-xml': { type: 'boolean' },
        'repair-script': { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        prometheus: { type: 'boolean' },
      });
      const backupXml = !!values['backup-xml'];
      const repair = !!values['repair-script'];
      if ([backupXml, repair, values.json, values.prometheus].filter(Boolean).length > 1)
        throw new UsageError(
          '--json, --prometheus, --backup-xml and --repair-script exclude each other',
        );
      const format = values.json ? 'json' : values.prometheus ? 'prometheus' : 'text';
      const product = { backupXml, repairScript: repair, format } as const;
      if (values.connect !== undefined) {
        if (positionals.length !== 1 || values.images || values['target-vm'] || values.running)
          throw new UsageError('check --connect URI takes one DOMAIN and nothing else');
        const host = { uri: values.connect, domain: positionals[0] as string };
        const timeoutMs = timeout(values.timeout);
        return interruptible((signal) =>
          checkHost({ ...host, timeoutMs, signal }, maxBytes, output, product),
        );
      }
      if (values.timeout !== undefined) throw new UsageError('--timeout goes with --connect');
      if (!positionals.length) throw new UsageError('expected FILE…|DIR…');
      const named = (file: string, json: boolean): GatheredFile => ({
        ...readInput(file),
        path: file,
        json,
        named: true,
      });
      const images = (values.images ?? []).map((f) => named(f, true));
      const target =
        values['target-vm'] === undefined ? undefined : named(values['target-vm'], false);
      const gathered = await gatherInputs(positionals, maxBytes);
      // What --images and --target-vm name is one VM's: all the files are then that VM's.
      const vms = (files: GatheredFile[]) =>
        said(
          images.length || target
            ? [oneVm([...files, ...images], target, gathered.backups)]
            : splitByVm(files, gathered.backups),
          output,
        );
      return statusOf(
        onInputs(gathered, output, (files) =>
          checkCommand(vms(files), { running: !!values.running, ...product, gathered }, output),
        ),
      );
    }
    case 'diff': {
      const { positionals } = parse(args, {});
      if (positionals.length < 2)
        throw new UsageError('diff takes A B, two files, or two checkpoint names and FILE…|DIR…');
      const [a, b, ...inputs] = positionals as [string, string, ...string[]];
      if (!inputs.length) {
        for (const p of [a, b])
          if (isFolderOrBundle(p))
            throw new InputError(
              `${p}: a folder or bundle; diff compares two checkpoints: diff NAME1 NAME2 ${p}`,
            );
        return diffCommand(readInput(a), readInput(b), output);
      }
      const gathered = await gatherInputs(inputs, maxBytes);
      return statusOf(
        onInputs(gathered, output, async (files) => {
          const vms = said(splitByVm(files, gathered.backups), output);
          const found = vms.flatMap((vm) =>
            [...vm.checkpoints, ...vm.definitions].map((file) => ({ file, vm })),
          );
          // A path that is a file of its own, outside the inputs, is read as it is.
          const direct = [a, b].map((p) => (isFile(p) ? readInput(p) : undefined));
          const [fa, fb] = resolvePair([a, b], found, inputs.join(', '), direct);
          return diffCommand(fa, fb, output);
        }),
      );
    }
    case undefined:
    case '-h':
    case '--help':
      output.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/**
 * `check --connect URI DOMAIN`: collects the VM as `collect` does, into a temporary folder removed
 * afterwards, and checks it as `check` checks a collected folder (QMP's answer for a running VM,
 * qemu-img's for a shut-off one).
 */
async function checkHost(
  host: { uri: string; domain: string; timeoutMs: number; signal: AbortSignal },
  maxBytes: number | undefined,
  output: Output,
  product: Pick<CheckCommandOptions, 'backupXml' | 'repairScript' | 'format'>,
): Promise<number> {
  const { uri, domain } = host;
  const parent = mkdtempSync(join(tmpdir(), 'checkpoint-editor-collect-'));
  // Named as scripts/collect.sh names it, so the lines read as for a folder it wrote.
  const dir = join(parent, domain.includes('/') ? 'collected' : `${domain}-checkpoints`);
  const named = (f: GatheredFile): GatheredFile => {
    const fileName = relative(parent, f.fileName);
    return {
      ...f,
      fileName,
      path: fileName,
      ...(f.problems ? { problems: f.problems.map((p) => ({ ...p, file: fileName })) } : {}),
    };
  };
  try {
    const collected = await collect({
      connect: uri,
      domain,
      dir,
      timeoutMs: host.timeoutMs,
      signal: host.signal,
    });
    for (const note of collected.notes) output.err(`${note}\n`);
    for (const s of [...collected.skipped, ...collected.passedOver]) output.err(`skipped ${s}\n`);
    // qemu-img's reading of a running VM's images is as of its last shutdown: check says so.
    const running = collected.stale;
    // The document, the metrics and the VM's line name the host, as a fleet's VM is named.
    const reached = await connectionHost(uri, { timeoutMs: host.timeoutMs, signal: host.signal });
    if (reached.why !== undefined) output.err(`host not known: ${reached.why}\n`);
    const onHost = (vm: VmInputs): VmInputs =>
      reached.host === undefined ? vm : { ...vm, host: reached.host };
    // The folder collected, read as `check` reads it: its domain.xml the target VM.
    const gathered = await gatherInputs([dir], maxBytes);
    const status = await statusOf(
      onInputs(gathered, output, (files) =>
        checkCommand([onHost(oneVm(files.map(named)))], { running, ...product, gathered }, output),
      ),
    );
    return collected.skipped.length ? Math.max(status, 1) : status;
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

/** --timeout SECONDS of collect and check --connect: how long each virsh or qemu-img run may take. */
function timeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  if (!/^[1-9]\d{0,5}$/.test(text))
    throw new UsageError('--timeout takes whole seconds, 1 to 999999');
  return Number(text) * 1000;
}

/**
 * Runs one command line; the exit status: 0 success, 1 invalid or refused, 2 usage, unreadable or
 * anything unexpected. Whatever is thrown ends as one line: a user never sees a stack trace.
 */
export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  try {
    return await run(argv, output);
  } catch (e) {
    const usage = e instanceof UsageError ? USAGE : '';
    const message =
      e instanceof UsageError || e instanceof InputError || e instanceof Interrupted
        ? e.message
        : firstLine(e);
    try {
      output.err(`error: ${message}\n${usage}`);
    } catch {
      // nowhere left to say it; the status still says it
    }
    return e instanceof Interrupted ? e.status : 2;
  }
}
