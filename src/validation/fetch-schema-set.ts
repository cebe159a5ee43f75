import type { SchemaSet } from './schema-set.ts';
import { isSchemaManifest, isSchemaPointer } from './schema-set.ts';

/**
 * Reads the installed schema set over HTTP: `current.json` under `baseUrl` names the set's folder,
 * whose `manifest.json` lists its files. A relative `baseUrl` is taken from the page's address.
 */
export async function fetchSchemaSet(
  baseUrl: string,
  fetchFile: (url: string) => Promise<Response> = (url) => fetch(url),
): Promise<SchemaSet> {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, globalThis.location?.href);
  const read = async (url: URL): Promise<string> => {
    const response = await fetchFile(url.href);
    if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
    return response.text();
  };
  const pointer = JSON.parse(await read(new URL('current.json', base))) as unknown;
  if (!isSchemaPointer(pointer)) throw new Error(`${base.href}current.json is not {version, path}`);
  const folder = new URL(pointer.path.endsWith('/') ? pointer.path : `${pointer.path}/`, base);
  const manifest = JSON.parse(await read(new URL('manifest.json', folder))) as unknown;
  if (!isSchemaManifest(manifest)) {
    throw new Error(`${folder.href}manifest.json is not a schema manifest`);
  }
  const files = await Promise.all(
    manifest.files.map(async (fileName) => ({
      fileName,
      contents: await read(new URL(fileName, folder)),
    })),
  );
  return { version: manifest.version, root: manifest.root, files, source: manifest.source };
}
