import type { JsonDocument, JsonObject, JsonValue } from './json-text.ts';
import { parseJsonTexts } from './json-text.ts';
import type { Position, Problem, Result } from './problem.ts';
import { problem, withFile } from './problem.ts';
import { append } from './append.ts';

/**
 * Where a disk image's description comes from: `qemu-img info --output=json` (the image as it
 * stands in its file), or QMP `query-named-block-nodes` (the image as the running QEMU holds it).
 */
export type ImageSource = 'qemu-img' | 'qmp';

/** One dirty bitmap of an image, in the terms of libvirt's qemuBlockNamedNodeDataBitmap. */
export interface ImageBitmap {
  name: string;
  /** Tracks writes: qemu-img's `auto` flag, QMP's `recording`. */
  recording: boolean;
  /** Kept in the image when QEMU closes it: every bitmap a qcow2 stores is; QMP's `persistent`. */
  persistent: boolean;
  /** May have missed writes: qemu-img's `in-use` flag, QMP's `inconsistent`. */
  inconsistent: boolean;
  /** In use by a block job (QMP only). */
  busy: boolean;
  /** Bytes each bit covers. */
  granularity?: number;
  /** Bytes written since the bitmap was made (QMP's `count`; qemu-img does not say). */
  count?: number;
  line: number;
}

/** One image of a backing chain (one node of QEMU's block graph). */
export interface ImageLayer {
  /** The JSON file it was read from, and the line its object opens on. */
  file: string;
  line: number;
  source: ImageSource;
  /** The image's file name as qemu-img or QEMU printed it. */
  filename: string;
  /** qcow2, raw, … */
  format: string;
  /** A qcow2's version: `1.1` can hold bitmaps, `0.10` cannot. */
  compat?: string;
  /** A qcow2 marked corrupt: QEMU opens it read-only at most. */
  corrupt: boolean;
  bitmaps: ImageBitmap[];
  /** The image below: the next entry of a --backing-chain array, else the backing file it names. */
  backing?: string;
  /** QMP's node name. */
  nodeName?: string;
}

/** What one file of qemu-img or QMP output holds. */
export interface ImageInfo {
  file: string;
  layers: ImageLayer[];
}

/** Why an image cannot hold persistent bitmaps, or undefined when it can. */
export function bitmapIncapacity(layer: ImageLayer): string | undefined {
  if (layer.format !== 'qcow2') return `is ${layer.format}`;
  if (layer.compat === '0.10') return 'is qcow2 compat 0.10';
  if (layer.corrupt) return 'is marked corrupt';
  return undefined;
}

// The image formats of QEMU's block layer; the protocol and filter nodes QMP lists beside them
// (file, host_device, throttle, copy-on-read, …) carry no bitmaps libvirt looks at.
const FORMAT_DRIVERS = new Set([
  'qcow2',
  'qcow',
  'raw',
  'qed',
  'vmdk',
  'vdi',
  'vpc',
  'vhdx',
  'luks',
  'parallels',
  'dmg',
  'cloop',
  'bochs',
  'vvfat',
]);

type Read<T> = T | { problem: Problem };

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: JsonObject, key: string) =>
  typeof o[key] === 'string' ? (o[key] as string) : undefined;

function isQemuImgImage(v: JsonValue): v is JsonObject {
  return isObject(v) && typeof v['filename'] === 'string' && typeof v['format'] === 'string';
}

function isQmpNode(v: JsonValue): v is JsonObject {
  return isObject(v) && typeof v['node-name'] === 'string' && typeof v['drv'] === 'string';
}

/**
 * Reads the output of `qemu-img info --output=json [--backing-chain] [-U]` (an object, or an array
 * from the top image down to the base) and of QMP `query-named-block-nodes` (`{"return":[…]}` as
 * `virsh qemu-monitor-command` prints it), recognised by content; several outputs may follow one
 * another in one file. Anything else refuses the whole file, with its name and the line.
 */
export function readImageInfo(text: string, file: string): Result<ImageInfo> {
  const refuse = (message: string, at?: Position): Result<ImageInfo> => ({
    ok: false,
    problems: withFile([problem('image-info-refused', message, at)], file),
  });
  if (/^\s*image: /.test(text)) {
    return refuse("qemu-img info's text output, not JSON: run qemu-img info with --output=json", {
      line: 1,
      column: 1,
    });
  }
  const parsed = parseJsonTexts(text);
  if (!parsed.ok) {
    const [p] = parsed.problems;
    return refuse(
      `${p?.message ?? 'not JSON'}: neither qemu-img info --output=json nor query-named-block-nodes output`,
      p?.line ? { line: p.line, column: p.column ?? 1 } : undefined,
    );
  }
  if (parsed.value.length === 0) {
    return refuse('empty: neither qemu-img info --output=json nor query-named-block-nodes output');
  }
  const layers: ImageLayer[] = [];
  for (const doc of parsed.value) {
    const read = readDocument(doc, file);
    if ('problem' in read) return { ok: false, problems: [read.problem] };
    append(layers, read);
  }
  return { ok: true, value: { file, layers }, problems: [] };
}

function readDocument(doc: JsonDocument, file: string): Read<ImageLayer[]> {
  const v = doc.value;
  const lineOf = (o: object) => doc.positions.get(o)?.line ?? doc.position.line;
  const fail = (message: string, line = doc.position.line): { problem: Problem } => ({
    problem: { ...problem('image-info-refused', message), file, line },
  });
  if (isQemuImgImage(v)) return collect([readQemuImg(v, lineOf, file)]);
  if (Array.isArray(v) && v.length > 0 && v.every(isQemuImgImage)) {
    // --backing-chain: from the top down; each entry's backing image is the next one.
    const chain = v.map((o) => readQemuImg(o, lineOf, file));
    return collect(chain, true);
  }
  if (isObject(v) && isObject(v['error'])) {
    return fail('a QMP error answer, not the answer of query-named-block-nodes');
  }
  const nodes = isObject(v) && Array.isArray(v['return']) ? v['return'] : v;
  if (Array.isArray(nodes) && nodes.length > 0 && nodes.every(isQmpNode)) {
    return collect(
      nodes
        .filter((n) => FORMAT_DRIVERS.has(n['drv'] as string))
        .map((n) => readQmpNode(n, lineOf, file)),
    );
  }
  if (isObject(v) && Array.isArray(v['return']) && v['return'].length === 0) {
    return fail('a QMP answer with no block nodes');
  }
  return fail('neither qemu-img info --output=json nor query-named-block-nodes output');

  function collect(read: Read<ImageLayer>[], chain = false): Read<ImageLayer[]> {
    const layers: ImageLayer[] = [];
    for (const r of read) {
      if ('problem' in r) return r;
      layers.push(r);
    }
    if (chain) {
      layers.forEach((layer, i) => {
        const below = layers[i + 1];
        if (below) layer.backing = below.filename;
      });
    }
    return layers;
  }
}

/** `data` of a qcow2's format-specific information, when it is one. */
function qcow2Data(image: JsonObject): JsonObject | undefined {
  const specific = image['format-specific'];
  if (!isObject(specific) || specific['type'] !== 'qcow2') return undefined;
  return isObject(specific['data']) ? specific['data'] : undefined;
}

function readQemuImg(o: JsonObject, lineOf: (o: object) => number, file: string): Read<ImageLayer> {
  const layer = baseLayer(o, o['format'] as string, lineOf(o), file, 'qemu-img');
  const data = qcow2Data(o);
  const bitmaps = data?.['bitmaps'];
  if (bitmaps === undefined) return layer;
  if (!Array.isArray(bitmaps)) return badBitmaps(lineOf(o));
  for (const b of bitmaps) {
    if (!isObject(b) || typeof b['name'] !== 'string' || !Array.isArray(b['flags'])) {
      return badBitmaps(isObject(b) ? lineOf(b) : lineOf(bitmaps));
    }
    const flags = b['flags'];
    const bitmap: ImageBitmap = {
      name: b['name'],
      recording: flags.includes('auto'),
      persistent: true,
      inconsistent: flags.includes('in-use'),
      busy: false,
      line: lineOf(b),
    };
    if (typeof b['granularity'] === 'number') bitmap.granularity = b['granularity'];
    layer.bitmaps.push(bitmap);
  }
  return layer;

  function badBitmaps(line: number) {
    return {
      problem: {
        ...problem(
          'image-info-refused',
          'a bitmap of qemu-img info is not an object with a name and flags',
        ),
        file,
        line,
      },
    };
  }
}

function readQmpNode(
  node: JsonObject,
  lineOf: (o: object) => number,
  file: string,
): Read<ImageLayer> {
  const image = isObject(node['image']) ? node['image'] : {};
  const layer = baseLayer(
    { ...image, filename: str(node, 'file') ?? str(image, 'filename') ?? '' },
    node['drv'] as string,
    lineOf(node),
    file,
    'qmp',
  );
  layer.nodeName = node['node-name'] as string;
  if (layer.backing === undefined && typeof node['backing_file'] === 'string') {
    layer.backing = node['backing_file'];
  }
  const bitmaps = node['dirty-bitmaps'];
  for (const b of Array.isArray(bitmaps) ? bitmaps : []) {
    // A bitmap without a name cannot be a checkpoint's.
    if (!isObject(b) || typeof b['name'] !== 'string') continue;
    const bitmap: ImageBitmap = {
      name: b['name'],
      recording: b['recording'] === true,
      persistent: b['persistent'] === true,
      // QEMU sends `inconsistent` only when it is true.
      inconsistent: b['inconsistent'] === true,
      busy: b['busy'] === true,
      line: lineOf(b),
    };
    if (typeof b['granularity'] === 'number') bitmap.granularity = b['granularity'];
    if (typeof b['count'] === 'number' && b['count'] >= 0) bitmap.count = b['count'];
    layer.bitmaps.push(bitmap);
  }
  return layer;
}

function baseLayer(
  o: JsonObject,
  format: string,
  line: number,
  file: string,
  source: ImageSource,
): ImageLayer {
  const layer: ImageLayer = {
    file,
    line,
    source,
    filename: str(o, 'filename') ?? '',
    format,
    corrupt: false,
    bitmaps: [],
  };
  const data = qcow2Data(o);
  const compat = data && str(data, 'compat');
  if (compat !== undefined) layer.compat = compat;
  if (data?.['corrupt'] === true) layer.corrupt = true;
  const backing = str(o, 'full-backing-filename') ?? str(o, 'backing-filename');
  if (backing !== undefined) layer.backing = backing;
  return layer;
}
