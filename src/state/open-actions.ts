import type { BytesFile, ReadOutcome, VmAssignment, VmFile, VmGrouping } from '../core/index.ts';
import {
  addVmFile,
  append,
  arrivalOf,
  bundleKind,
  createVmFileIndex,
  decodeXml,
  domainName,
  domainUuid,
  groupByVm,
  DEFAULT_MAX_BUNDLE_BYTES,
  fileSizeProblem,
  offeredHost,
  openFile,
  openFileKey,
  readTargetDomain,
  unpackImageInfo,
  REPEAT_REASON,
  vmKeyOf,
} from '../core/index.ts';
import { readBundleFile } from '../workers/index.ts';
import type { VmDefinition } from './definitions-slice.ts';
import { definitionOf } from './definitions-slice.ts';
import type { OpenedFile } from './open-slice.ts';
import { DEFAULT_VM, vmOf } from './vm-key.ts';
import { EXAMPLE_CHAIN, EXAMPLE_WITH_ERRORS } from '../samples/index.ts';
import { OFF_PAGE_CHARS } from './large-file-limits.ts';
import type { SameName, SkippedFile } from './open-slice.ts';
import type { FileLike } from './read-files.ts';
import {
  inPathOrder,
  pastedFileName,
  pathOf,
  readBackupHeaders,
  readEachBytes,
  readImageFiles,
  sortOfferedFilesOffPage,
} from './read-files.ts';
import type { ImageReading } from './images-slice.ts';
import { looksLikeJson, prepareDiskState } from './images-slice.ts';
import { NO_VM, selectRulesKey } from './rules-slice.ts';
import { createValueSharing } from './shared-values.ts';
import { asOneUndoStep, inOneUndoStep } from './undo-step.ts';
import type { EditorStore } from './editor-store.ts';
import type { EditorState } from './editor-state.ts';

/** Files read and handed to a worker together; the first chunk is small, to show the tree soon. */
const OPEN_CHUNK = 250;
const FIRST_CHUNK = 50;
/**
 * While a folder opens, the tree grows at most this often, and never more than a tenth of the time
 * (each time the forest is built again, and a large one takes long).
 */
const GROW_EVERY_MS = 1000;
const GROW_SHARE = 10;
/** Up to this many small files are checked on the page: a worker's round trip would only delay them. */
const OPEN_ON_PAGE = 32;
/**
 * A bundle's entries after the first chunk, opened and validated in a validation worker: each chunk
 * is one xmllint run, which compiles the schema set again (30-40 ms), so chunks are larger.
 */
const BUNDLE_CHUNK = 1000;
/** The reading of chunks pauses (a task of its own) once it has held the page this long. */
const READ_TASK_MS = 30;

/**
 * Opens what a picker or a drop offers: the .xml files as documents, the rest listed as skipped.
 * The page reads the bytes (a chunk of files at a time, reads overlapping, never blocking); the
 * workers decode them and apply libvirt's rules while the next chunk is read. The tree shows the
 * first files at once and grows as the rest arrive, in path order; progress shows as the "open"
 * activity, and the whole open is one step of undo.
 */
export async function openFiles(store: EditorStore, files: readonly FileLike[]): Promise<string[]> {
  const unpacked = await openBundles(store, files);
  const target = await readTargetDefinition(unpacked.files);
  const offered = await sortOfferedFilesOffPage(target.rest, (paths) =>
    store.services.corePool().run({ kind: 'sort-paths', paths: paths.join('\0') }),
  );
  const { toRead } = offered;
  // Which VM each file is, answered here, as the files come in: by the grouping of all read so
  // far. The target definition and the images' state go to their VM once the whole open is read.
  const seen: VmFile[] = [];
  const seenIds: (string | undefined)[] = [];
  // What they say of their VMs, noted as they come: a growth tells its files' VMs from it.
  const vmFiles = createVmFileIndex();
  const see = (file: VmFile) => {
    addVmFile(vmFiles, file);
    return seen.push(file) - 1;
  };
  const found = target.found;
  const targetAt = found ? see(onHost({ ...found.identity, root: 'domain' })) : -1;
  const images: { fileName: string; text: string; at: number }[] = [];
  const skipped = [...unpacked.skipped, ...offered.skipped];
  for (const item of offered.json) {
    const read = await readImageFiles([item]);
    append(skipped, read.skipped);
    for (const f of read.read) {
      const at = see(onHost({ path: f.fileName, root: 'other', archive: item.file.archive }));
      images.push({ ...f, at });
    }
  }
  // virtnbdbackup's files join their folder's VM, as a file without <domain> does.
  const backups = offered.backups.map(({ path, file }) => ({
    path,
    at: see(onHost({ path, root: 'other', archive: file.archive })),
  }));
  // Each finished data file's first 4 KiB: what it says it holds (read while the rest is).
  const headersRead = readBackupHeaders(offered.backups);
  for (let i = 0; i < seen.length; i++) seenIds.push(undefined);
  // Read in a worker while the checkpoints are: an output may hold 200,000 bitmaps.
  const imagesRead = readImagesOffPage(store, images);
  const placeTheRest = async (grouping: VmGrouping): Promise<SkippedFile[]> => {
    const read = await imagesRead;
    // The answer's reading (200,000 bitmaps cross from the worker) and the verdicts on it are
    // separate tasks, so the page may paint and take input between them.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    const s = store.getState();
    const vmAt = (at: number) => vmOfSeen(grouping, at) ?? store.getState().currentVm;
    if (found) s.loadTarget(found.fileName, found.text, vmAt(targetAt));
    if (backups.length) {
      const byVm: Record<string, string[]> = {};
      for (const b of backups) (byVm[vmAt(b.at)] ??= []).push(b.path);
      s.addBackupFiles(byVm, await headersRead);
    }
    const byVm = new Map<string, ImageReading[]>();
    images.forEach((f, i) => {
      const vm = vmAt(f.at);
      const list = byVm.get(vm) ?? [];
      list.push({ fileName: f.fileName, ...(read[i] as Omit<ImageReading, 'fileName'>) });
      byVm.set(vm, list);
    });
    const refused: SkippedFile[] = [];
    for (const [vm, list] of byVm) append(refused, await addImageFilesInSteps(store, list, vm));
    return refused;
  };
  if (toRead.length === 0) {
    // Only a definition, backup files or images: still one step of undo.
    return asOneUndoStep(store, async () => {
      const refused = await placeTheRest(groupByVm(seen));
      return store.getState().openDocuments([], 'file', inPathOrder([...skipped, ...refused]));
    });
  }
  const state = store.getState();
  // Checked first with no target: each VM's target, once known, checks its own files again.
  const rules = { profile: state.profile };
  const rulesKey = selectRulesKey(state, NO_VM);
  const total = toRead.length;
  const label = `Reading ${total === 1 ? '1 file' : `${total.toLocaleString('en')} files`}`;
  let done = 0;
  const progress = () => store.getState().setActivity('open', { label, done, total });
  progress();

  const unread: SkippedFile[] = [...skipped];
  // Files with a <domain> root are the VM's definitions (vmconfig.*.xml), listed apart.
  const definitions: { definition: VmDefinition; at: number }[] = [];
  const ids: string[] = [];
  const openBefore = new Set(store.getState().documentOrder);
  const sameNames: SameName[] = [];
  // Chunks come back from the workers in any order; they join the tree in path order.
  const ready: (ReadOutcome[] | undefined)[] = [];
  // The schema's verdicts on a chunk's texts, where the worker that read them validated them.
  const schemaOf: (OpenedFile['schema'] | null)[][] = [];
  // A bundle's entries (all in memory) are read and validated in the same worker, once the schema
  // set is ready: their texts cross to the page once, and are never posted back to be validated.
  const validator = state.schemaSet.status === 'ready' ? store.services.validator() : undefined;
  const opening = toRead.every(({ file }) => file.inMemory) ? validator?.open : undefined;
  const generation = state.schemaSet.generation;
  let next = 0;
  // Each verdict's values (names, positions, the <domain> in brief) kept once across the folder.
  const sharing = createValueSharing();
  let grownAt = 0;
  let growCost = 0;
  // The files open by openFileKey, carried from one growth to the next while the documents are
  // those the last growth left (a map of 10,000 made again at each growth held the page).
  type OpenByKey = Map<string, { text: string; id?: string; k?: number }>;
  let openKnown:
    { documents: EditorState['documents']; documentOrder: string[]; byKey: OpenByKey } | undefined;
  const addOpen = (byKey: OpenByKey, d: EditorState['documents'][string] | undefined) => {
    if (d && !d.original) byKey.set(openFileKey(vmOf(d), d.fileName), { text: d.text, id: d.id });
  };
  const openByKey = (s: EditorState): OpenByKey => {
    if (openKnown?.documents === s.documents && openKnown.documentOrder === s.documentOrder)
      return openKnown.byKey;
    const byKey: OpenByKey = new Map();
    for (const id of s.documentOrder) addOpen(byKey, s.documents[id]);
    openKnown = { documents: s.documents, documentOrder: s.documentOrder, byKey };
    return byKey;
  };
  const archives: (string | undefined)[][] = [];
  const grow = (force: boolean) => {
    const since = performance.now() - grownAt;
    if (!force && ids.length > 0 && since < Math.max(GROW_EVERY_MS, growCost * GROW_SHARE)) return;
    const opened: OpenedFile[] = [];
    const openedSeen: number[] = [];
    for (; ready[next] !== undefined; next++) {
      (ready[next] as ReadOutcome[]).forEach((o, j) => {
        const archive = archives[next]?.[j];
        const schema = schemaOf[next]?.[j];
        const definition = 'text' in o ? definitionOf(o) : undefined;
        if (definition) {
          definitions.push({ definition, at: seen.length });
          see(
            onHost({
              path: o.fileName,
              root: 'domain',
              ...definitionIdentity(definition),
              archive,
            }),
          );
          seenIds.push(undefined);
        } else if ('text' in o) {
          const domain = o.verdict.checkpoint?.domain;
          openedSeen.push(seen.length);
          see(
            onHost({
              path: o.fileName,
              root: o.verdict.checkpoint ? 'checkpoint' : 'other',
              uuid: domain && domainUuid(domain),
              name: domain && domainName(domain),
              archive,
            }),
          );
          seenIds.push(undefined);
          opened.push({
            fileName: o.fileName,
            path: o.fileName,
            contents: o.text,
            verdict: { rulesKey, verdict: o.verdict },
            ...(o.original ? { original: o.original } : {}),
            ...(schema ? { schema } : {}),
          });
        } else unread.push({ fileName: o.fileName, reason: o.skipped });
      });
      ready[next] = [];
      schemaOf[next] = [];
    }
    if (opened.length === 0) return;
    // Each file's VM as groupByVm tells it over all the files seen so far.
    opened.forEach((f, k) => {
      const key = vmKeyOf(vmFiles, seen[openedSeen[k] as number] as VmFile);
      if (key !== DEFAULT_VM) f.vm = key;
    });
    const s = store.getState();
    // The same file again (its VM, its name, its very text) opens once, and the open says so:
    // core's rule, which the CLI follows too.
    const openBase = openByKey(s);
    const open = new Map(openBase);
    const kept: number[] = [];
    // Held back under the name of a file of this same batch, whose id comes with its opening.
    const behind: { file: OpenedFile; k: number }[] = [];
    opened.forEach((f, k) => {
      const key = openFileKey(f.vm ?? s.currentVm, f.fileName);
      const arrival = f.original ? undefined : arrivalOf(open, key, f.contents);
      // A file held back already, byte for byte, is a repeat too: the question lists it once.
      const held =
        arrival?.kind === 'same-name'
          ? [...sameNames, ...behind].find(
              (n) =>
                n.file.contents === f.contents &&
                openFileKey(n.file.vm ?? s.currentVm, n.file.fileName) === key,
            )
          : undefined;
      if (arrival?.kind === 'repeat') {
        unread.push({ fileName: f.fileName, reason: `already open: ${REPEAT_REASON}` });
      } else if (held) {
        const as = held.file.path ?? held.file.fileName;
        unread.push({
          fileName: f.fileName,
          reason: `already asked about: ${REPEAT_REASON} as ${as}`,
        });
      } else if (arrival?.kind === 'same-name') {
        // Another file under the name of one open, before or by this same open: nothing of it
        // opens before the operator says which to keep.
        const was = arrival.of;
        if (was.id === undefined) behind.push({ file: f, k: was.k as number });
        else
          sameNames.push({
            file: f,
            existingId: was.id,
            ...(openBefore.has(was.id) ? {} : { sameOpen: true }),
          });
      } else {
        open.set(key, { text: f.contents, k });
        kept.push(k);
      }
    });
    if (kept.length === 0) return;
    const toOpen = kept.map((k) => opened[k] as OpenedFile);
    const added = ids.length ? s.appendDocuments(toOpen, 'file') : s.openDocuments(toOpen, 'file');
    // The files open now: those before, and those this growth added (an open replaces examples).
    const now = store.getState();
    if (now.documentOrder.length === s.documentOrder.length + added.length) {
      for (const id of added) addOpen(openBase, now.documents[id]);
      openKnown = { documents: now.documents, documentOrder: now.documentOrder, byKey: openBase };
    }
    const idOf = new Map(kept.map((k, j) => [k, added[j] as string]));
    for (const { file, k } of behind)
      sameNames.push({ file, existingId: idOf.get(k) as string, sameOpen: true });
    added.forEach((id, j) => (seenIds[openedSeen[kept[j] as number] as number] = id));
    for (const id of added) ids.push(id);
    const start = grownAt + since;
    grownAt = performance.now();
    growCost = grownAt - start;
  };

  // The tree grows in a task of its own, not in the one that took in a chunk's answer: the two
  // together made one long task (the answer's copy out of the message, then the chain's growth).
  let growing: Promise<void> | undefined;
  const growSoon = () => {
    growing ??= nextTask().then(() => {
      growing = undefined;
      grow(false);
    });
  };

  return asOneUndoStep(store, async () => {
    try {
      const checked: Promise<void>[] = [];
      let yieldedAt = performance.now();
      for (let i = 0, chunkIndex = 0; i < total; chunkIndex++) {
        // A bundle's entries are in memory: their reads end at once, so without a pause the loop
        // read and sent all 200,000 in one task (370-1,500 ms at load 20).
        if (performance.now() - yieldedAt > READ_TASK_MS) {
          await nextTask();
          yieldedAt = performance.now();
        }
        const size = chunkIndex === 0 ? FIRST_CHUNK : opening ? BUNDLE_CHUNK : OPEN_CHUNK;
        const chunk = toRead.slice(i, (i += size));
        const read = await readEachBytes(chunk.map(({ file }) => file));
        const bytes: BytesFile[] = [];
        const inArchive: (string | undefined)[] = [];
        read.forEach((r, j) => {
          const { path: fileName, file } = chunk[j] as (typeof chunk)[number];
          if ('bytes' in r) {
            bytes.push({ fileName, bytes: r.bytes });
            inArchive.push(file.archive);
          } else unread.push({ fileName, reason: r.refused });
        });
        const index = chunkIndex;
        archives[index] = inArchive;
        const task = { kind: 'open', files: bytes, rules } as const;
        const inCore = () => store.services.corePool().run(task);
        checked.push(
          (total <= OPEN_ON_PAGE && bytes.every((f) => f.bytes.length <= OFF_PAGE_CHARS)
            ? Promise.resolve(bytes.map((f) => openFile(f, rules)))
            : opening && validator
              ? opening.call(validator, bytes, rules).then(({ outcomes, verdicts }) => {
                  schemaOf[index] = verdicts.map((v) => v && { generation, problems: v.problems });
                  return outcomes;
                }, inCore)
              : inCore()
          ).then((outcomes) => {
            // Shared as each chunk comes (a task of its own), not all at once when the tree grows.
            for (const o of outcomes) if ('text' in o) sharing.verdict(o.verdict);
            ready[index] = outcomes;
            done += chunk.length;
            progress();
            growSoon();
          }),
        );
      }
      await Promise.all(checked);
      // The last growth a task of its own, not in the one that took in the last chunk's answer.
      await nextTask();
      grow(true);
      // The last growth, the grouping of the whole open and the VMs it gives: each a task of its own.
      await nextTask();
      // The whole open known, a file read early may turn out another VM's (by its folder).
      const grouping = groupByVm(seen);
      const vms: Record<string, string> = {};
      seenIds.forEach((id, i) => {
        if (id !== undefined) vms[id] = vmOfSeen(grouping, i) ?? vmOfId(store, id);
      });
      store.getState().assignVms(vms);
      await nextTask();
      const refused = await placeTheRest(grouping);
      // A fleet: the VMs view shows them all at a glance.
      if (grouping.groups.length > 1 && store.getState().vms.length > 1)
        store.getState().showView('vms');
      store.getState().setSkipped(inPathOrder([...unread, ...refused]));
      if (sameNames.length) store.getState().askSameNames(sameNames);
      store.getState().addDefinitions(
        definitions.map(({ definition, at }) => ({
          ...definition,
          vm: vmOfSeen(grouping, at) ?? store.getState().currentVm,
        })),
      );
      return ids;
    } finally {
      store.getState().setActivity('open', null);
    }
  });
}

/**
 * A file as grouping sees it, with the host its path says it was collected from
 * (`fleet/HOST/DOMAIN-checkpoints.tar.gz`, as the CLI reads a fleet/ folder): core's rule.
 */
function onHost(file: VmFile): VmFile {
  const host = offeredHost(file.path, file.archive);
  return host === undefined ? file : { ...file, host };
}

/**
 * The VM the grouping gave the file seen at `i`; undefined for loose files without <domain>, which
 * join the VM on screen, as a paste does. (A function of the module: an open of data files or
 * images alone, which places them before any checkpoint is read, met it uninitialised.)
 */
function vmOfSeen(grouping: VmGrouping, i: number): string | undefined {
  const key = (grouping.assignments[i] as VmAssignment).key;
  return key === DEFAULT_VM ? undefined : key;
}

/** The uuid and name a VM definition gives, for grouping. */
function definitionIdentity(d: VmDefinition): Pick<VmFile, 'uuid' | 'name'> {
  return { uuid: d.uuid, name: d.name };
}

/** The VM a document was given (kept when the whole open leaves it the VM on screen). */
function vmOfId(store: EditorStore, id: string): string {
  const doc = store.getState().documents[id];
  return doc ? vmOf(doc) : DEFAULT_VM;
}

/** A file held in memory: an entry of a bundle, under its path inside it, its bytes as they came. */
function memoryFile(path: string, bytes: Uint8Array, archive: string): FileLike {
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    archive,
    size: bytes.length,
    inMemory: bytes,
    text: () => Promise.resolve(new TextDecoder().decode(bytes)),
    arrayBuffer: () => Promise.resolve(bytes.slice().buffer),
    stream: () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      }),
  };
}

/**
 * The bundles among the files offered (scripts/collect.sh's DOMAIN-checkpoints.tar.gz, or the
 * folder as .tar, .tgz or .zip) opened as the folder they hold: each is unpacked in a worker of
 * its own, read there from the file, its entries coming in batches while the page shows the
 * progress with a Cancel button; their files take the place of the archive. What a bundle leaves
 * out (a path that climbs out, a link, an entry too large) is skipped, named `ARCHIVE: PATH`; what
 * stopped it early (cut short, past the limit, cancelled), named `ARCHIVE`.
 */
export async function openBundles(
  store: EditorStore,
  files: readonly FileLike[],
): Promise<{ files: FileLike[]; skipped: SkippedFile[] }> {
  const out: FileLike[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const kind = bundleKind(file.name);
    if (!kind) {
      out.push(file);
      continue;
    }
    const name = pathOf(file);
    const tooLarge = fileSizeProblem(file.size, DEFAULT_MAX_BUNDLE_BYTES);
    if (tooLarge) {
      skipped.push({ fileName: name, reason: tooLarge.message });
      continue;
    }
    const entries: FileLike[] = [];
    const left: SkippedFile[] = [];
    const total = file.size;
    const label = `Unpacking ${name}`;
    const reading = readBundleFile(file as unknown as Blob, kind, {
      name,
      onBatch: (batch) => {
        for (const e of batch.entries) entries.push(memoryFile(e.path, e.bytes, name));
        for (const e of batch.skipped)
          left.push({ fileName: `${name}: ${e.path}`, reason: e.reason });
      },
      onProgress: ({ read }) =>
        store.getState().setActivity('open', { label, done: read, total, cancel }),
    });
    const cancel = () => reading.cancel();
    store.getState().setActivity('open', { label, done: 0, total, cancel });
    try {
      const outcome = await reading.done;
      if (outcome.stopped?.code === 'bundle-cancelled') {
        skipped.push({ fileName: name, reason: 'cancelled: nothing of it opened' });
        continue;
      }
      if (outcome.stopped) skipped.push({ fileName: name, reason: outcome.stopped.message });
      append(out, entries);
      append(skipped, left);
    } finally {
      store.getState().setActivity('open', null);
    }
  }
  return { files: out, skipped };
}

/**
 * A collected folder's `domain.xml` (its `virsh dumpxml`), recognised by its `<domain>` root: its
 * VM's target definition once the open knows which VM that is; the files left are opened as ever
 * (a checkpoint named `domain` stays a checkpoint).
 */
async function readTargetDefinition(files: readonly FileLike[]): Promise<{
  rest: FileLike[];
  found?: { fileName: string; text: string; identity: Omit<VmFile, 'root'> };
}> {
  const rest: FileLike[] = [];
  let found: { fileName: string; text: string; identity: Omit<VmFile, 'root'> } | undefined;
  let looked = 0;
  for (const file of files) {
    // A bundle's 200,000 entries: a pause now and then, the page's task kept short.
    if (++looked % 20_000 === 0) await nextTask();
    if (found || file.name !== 'domain.xml' || fileSizeProblem(file.size)) {
      rest.push(file);
      continue;
    }
    const decoded = decodeXml(new Uint8Array(await file.arrayBuffer()));
    const read = decoded.ok ? readTargetDomain(decoded.value) : undefined;
    if (decoded.ok && read?.ok) {
      const fileName = pathOf(file);
      const { uuid, name } = read.value;
      found = {
        fileName,
        text: decoded.value,
        identity: { path: fileName, uuid, name, archive: file.archive },
      };
    } else rest.push(file);
  }
  return found ? { rest, found } : { rest };
}

/**
 * Opens qemu-img info (or QMP) output about the disk images, recognised by content; gives back,
 * as skipped, the files that are not, with why. Checkpoints offered with them are not touched.
 */
export async function openImageFiles(
  store: EditorStore,
  files: readonly { path: string; file: FileLike }[],
): Promise<SkippedFile[]> {
  if (files.length === 0) return [];
  const { read, skipped } = await readImageFiles(files);
  const infos = await readImagesOffPage(store, read);
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  const added = await addImageFilesInSteps(
    store,
    read.map((f, i) => ({ fileName: f.fileName, ...(infos[i] as Omit<ImageReading, 'fileName'>) })),
    store.getState().currentVm,
  );
  return [...skipped, ...added];
}

/** Bitmaps judged in one task when a disk state is worked out ahead. */
const DERIVE_STEP = 20_000;

/**
 * Adds a VM's image files. With more bitmaps than a step, their disk state is worked out first,
 * a step at a time, and the store takes it in a task of its own (prepareDiskState).
 */
async function addImageFilesInSteps(
  store: EditorStore,
  list: ImageReading[],
  vm: string,
): Promise<SkippedFile[]> {
  let bitmaps = 0;
  for (const f of list)
    for (const l of f.read.ok ? f.read.value.layers : []) bitmaps += l.bitmaps.length;
  if (bitmaps <= DERIVE_STEP) return store.getState().addImageFiles(list, vm);
  const prepared = await prepareDiskState(store.getState(), list, vm, DERIVE_STEP, nextTask);
  await nextTask();
  return store.getState().addImageFiles(list, vm, prepared);
}

/** qemu-img info or QMP outputs read in a worker, one file per request; in order. */
function readImagesOffPage(
  store: EditorStore,
  files: readonly { fileName: string; text: string }[],
): Promise<Omit<ImageReading, 'fileName'>[]> {
  if (files.length === 0) return Promise.resolve([]);
  const pool = store.services.corePool();
  const one = async (f: { fileName: string; text: string }) => {
    const answer = await pool.run({
      kind: 'images',
      files: [{ fileName: f.fileName, text: f.text }],
    });
    const out: Omit<ImageReading, 'fileName'>[] = [];
    for (const read of answer) {
      // The packed form is kept too: the session stores it (its clone is cheap).
      out.push(
        read.ok
          ? {
              read: { ...read, value: await unpackImageInfo(read.value, UNPACK_STEP, nextTask) },
              packed: read.value,
            }
          : { read },
      );
    }
    return out;
  };
  return Promise.all(files.map(one)).then((parts) => parts.flat());
}

/** Bitmaps made objects again in one task: 200,000 at once held the page 100-200 ms. */
const UNPACK_STEP = 20_000;
function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** Loads the target VM's definition (`virsh dumpxml VM`) from a file, decoded as libxml2 would. */
export async function loadTargetFile(store: EditorStore, file: FileLike): Promise<void> {
  const fileName = pathOf(file);
  const refuse = (reason: string) => store.getState().refuseTarget(`${fileName}: ${reason}`);
  const tooLarge = fileSizeProblem(file.size);
  if (tooLarge) return refuse(tooLarge.message);
  try {
    const decoded = decodeXml(new Uint8Array(await file.arrayBuffer()));
    if (decoded.ok) return store.getState().loadTarget(fileName, decoded.value);
    const [p] = decoded.problems;
    refuse(`${p?.line ? `line ${p.line}: ` : ''}${p?.message ?? 'unreadable'}`);
  } catch (e) {
    refuse(`could not be read: ${(e as Error).message}`);
  }
}

/** Opens pasted XML as a new document named after its checkpoint; pasted JSON as disk image state. */
export function openPastedText(store: EditorStore, text: string): string[] {
  if (!text.trim()) return [];
  return inOneUndoStep(store, () => {
    if (looksLikeJson(text)) {
      store
        .getState()
        .setSkipped(store.getState().openImageFiles([{ fileName: 'pasted.json', text }]));
      return [];
    }
    return store
      .getState()
      .openDocuments([{ fileName: pastedFileName(text), contents: text }], 'paste');
  });
}

export type ExampleName = 'chain' | 'errors';

export function openExample(store: EditorStore, example: ExampleName): string[] {
  return store
    .getState()
    .openDocuments(example === 'chain' ? EXAMPLE_CHAIN : EXAMPLE_WITH_ERRORS, 'example');
}
