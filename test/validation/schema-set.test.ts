import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetchSchemaSet, schemaSetFromFiles } from '../../src/validation/index.ts';
import { createNodeValidator, loadSchemaSet } from '../../src/validation/node.ts';
import { skipWithout } from '../require.ts';
import { projectRoot } from './files.ts';

const installed = join(projectRoot, 'public/schemas');
const manifest = JSON.parse(
  readFileSync(
    join(
      installed,
      JSON.parse(readFileSync(join(installed, 'current.json'), 'utf8')).path,
      'manifest.json',
    ),
    'utf8',
  ),
) as { version: string; root: string; files: string[] };
const systemSchemas = '/usr/share/libvirt/schemas';
const noSystemSchemas = skipWithout(
  existsSync(join(systemSchemas, 'domaincheckpoint.rng')),
  `libvirt's schemas in ${systemSchemas} (apt-get install libvirt0)`,
);

describe('schema sets', () => {
  it('loads the installed set by default, as its manifest lists it', async () => {
    const set = await loadSchemaSet();
    expect(set.version).toBe(manifest.version);
    expect(set.root).toBe('domaincheckpoint.rng');
    expect(set.files.map((f) => f.fileName)).toEqual(manifest.files);
    expect(set.files.every((f) => f.contents.includes('<grammar'))).toBe(true);
  });

  it.skipIf(noSystemSchemas)(
    'reads what domaincheckpoint.rng includes from a plain folder',
    async () => {
      const set = await loadSchemaSet(systemSchemas);
      expect(set).toMatchObject({
        version: 'custom',
        root: 'domaincheckpoint.rng',
        source: systemSchemas,
      });
      expect(set.files.map((f) => f.fileName).sort()).toEqual([...manifest.files].sort());
    },
  );

  it('says what is missing when a folder holds no schema', async () => {
    await expect(loadSchemaSet(join(projectRoot, 'test'))).rejects.toThrow(
      /holds no domaincheckpoint\.rng/,
    );
  });

  it('builds a set from picked files, keeping only what the root reaches', async () => {
    const installedSet = await loadSchemaSet();
    const picked = [
      { fileName: 'unrelated.rng', contents: '<grammar/>' },
      ...installedSet.files.slice().reverse(),
    ];
    const set = schemaSetFromFiles(picked);
    expect(set.root).toBe('domaincheckpoint.rng');
    expect(set.files.map((f) => f.fileName).sort()).toEqual([...manifest.files].sort());
    expect(() =>
      schemaSetFromFiles(installedSet.files.filter((f) => f.fileName !== 'basictypes.rng')),
    ).toThrow(/includes basictypes\.rng, which is missing/);
  });

  it('refuses a set xmllint could not be handed safely', async () => {
    const grammar = '<grammar xmlns="http://relaxng.org/ns/structure/1.0"/>';
    const set = (root: string, fileName = root) => ({
      version: 'x',
      root,
      files: [{ fileName, contents: grammar }],
    });
    await expect(createNodeValidator(set('--version'))).rejects.toThrow(/cannot be used/);
    await expect(createNodeValidator(set('../up.rng'))).rejects.toThrow(/cannot be used/);
    await expect(createNodeValidator(set('a.rng', 'b.rng'))).rejects.toThrow(
      /lacks its root a\.rng/,
    );
  });

  it('fetches the installed set over HTTP as the page does', async () => {
    const served = async (url: string) => {
      const path = join(installed, new URL(url).pathname.replace(/^\/app\/schemas\//, ''));
      return existsSync(path)
        ? new Response(readFileSync(path, 'utf8'))
        : new Response('', { status: 404 });
    };
    expect(await fetchSchemaSet('http://localhost/app/schemas', served)).toEqual(
      await loadSchemaSet(),
    );
    await expect(fetchSchemaSet('http://localhost/elsewhere/', served)).rejects.toThrow(
      /current\.json: HTTP 404/,
    );
  });
});
