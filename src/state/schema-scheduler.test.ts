import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeValidator, loadSchemaSet } from '../validation/node.ts';
import type { SchemaValidator } from './index.ts';
import {
  createEditorStore,
  resetEditorStore,
  setDescription,
  startSchemaValidation,
} from './index.ts';
import { selectSessionView } from '../../test/state/session-view.ts';

const editorStore = createEditorStore();

const conformance = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'conformance');
const INVALID = readFileSync(
  resolve(conformance, 'libvirt-tests', 'out', 'internal-active-invalid.xml'),
  'utf8',
);

// The real xmllint (wasm) on libvirt's installed schemas; in the page the same runs in a worker.
let validator: SchemaValidator;
let scheduler: ReturnType<typeof startSchemaValidation> | undefined;

beforeEach(async () => {
  resetEditorStore(editorStore);
  validator ??= await createNodeValidator(await loadSchemaSet());
  editorStore.getState().setSchemaSet({ label: 'libvirt schemas', status: 'ready' }, true);
});

afterEach(() => scheduler?.stop());

describe('schema validation of the open documents', () => {
  it('gives each document its verdict, with the file and line', async () => {
    const s = editorStore.getState();
    const [id] = s.openDocuments([{ fileName: 'active.xml', contents: INVALID }], 'file');
    scheduler = startSchemaValidation(editorStore, () => validator, 0);
    await scheduler.flush();
    const problems = selectSessionView(editorStore.getState()).problemsById[id as string] ?? [];
    expect(problems).toContainEqual(
      expect.objectContaining({ severity: 'error', file: 'active.xml', line: 52 }),
    );
    expect(selectSessionView(editorStore.getState()).schemaStatusById[id as string]).toBe('done');
  });

  it('validates again after an edit, and only what changed', async () => {
    const s = editorStore.getState();
    const calls: string[][] = [];
    const counting: SchemaValidator = {
      validate: (files) => {
        calls.push(files.map((f) => f.fileName));
        return validator.validate(files);
      },
      close: () => {},
    };
    const [first] = s.openDocuments(
      [
        { fileName: 'a.xml', contents: INVALID },
        { fileName: 'b.xml', contents: INVALID.replace('  <active>1</active>\n', '') },
      ],
      'file',
    );
    scheduler = startSchemaValidation(editorStore, () => counting, 0);
    await scheduler.flush();
    expect(calls).toEqual([['a.xml', 'b.xml']]);
    // A form edit changes its field only: <active>, which the file holds, stays, and so does its error.
    editorStore.getState().editCheckpoint(first as string, setDescription('fixed'));
    expect(editorStore.getState().documents[first as string]?.text).toContain('<active>1</active>');
    expect(selectSessionView(editorStore.getState()).schemaStatusById[first as string]).toBe(
      'validating',
    );
    await scheduler.flush();
    expect(calls).toEqual([['a.xml', 'b.xml'], ['a.xml']]);
    const problems = selectSessionView(editorStore.getState()).problemsById[first as string] ?? [];
    expect(problems.filter((p) => p.code === 'schema')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('extra content: active') }),
    ]);
  });

  it('drops a verdict on a text that changed while it ran', async () => {
    const s = editorStore.getState();
    const [id] = s.openDocuments([{ fileName: 'a.xml', contents: INVALID }], 'file');
    const slow: SchemaValidator = {
      validate: async (files) => {
        editorStore.getState().updateText(id as string, INVALID.replace('<active>1', '<active>2'));
        return validator.validate(files);
      },
      close: () => {},
    };
    scheduler = startSchemaValidation(editorStore, () => slow, 0);
    await scheduler.flush();
    const result = editorStore.getState().schemaResults[id as string];
    expect(result?.text).toBe(editorStore.getState().documents[id as string]?.text);
  });
});
