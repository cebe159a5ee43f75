import { describe, expect, it } from 'vitest';
import type { FileLike } from './read-files.ts';
import { READ_AT_ONCE, readEachBytes } from './read-files.ts';

/** A file whose stream gives its bytes a few milliseconds later, counting the reads under way. */
function slowFiles(
  count: number,
  textOf = (i: number) => `<domaincheckpoint><name>c${i}</name></domaincheckpoint>`,
): { files: FileLike[]; mostAtOnce: () => number } {
  let reading = 0;
  let most = 0;
  const files = Array.from({ length: count }, (_, i): FileLike => {
    const bytes = new TextEncoder().encode(textOf(i));
    return {
      name: `c${i}.xml`,
      size: bytes.length,
      text: () => Promise.reject(new Error('read as a stream')),
      arrayBuffer: () => Promise.reject(new Error('read as a stream')),
      stream: () => {
        most = Math.max(most, ++reading);
        return new ReadableStream<Uint8Array>({
          async start(controller) {
            await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
            controller.enqueue(bytes);
            reading--;
            controller.close();
          },
        });
      },
    };
  });
  return { files, mostAtOnce: () => most };
}

describe('readEachBytes', () => {
  it('reads every file, in their order, never more than READ_AT_ONCE at a time', async () => {
    const { files, mostAtOnce } = slowFiles(250);
    const read = await readEachBytes(files);
    expect(read).toHaveLength(250);
    read.forEach((r, i) => {
      expect('bytes' in r && new TextDecoder().decode(r.bytes)).toContain(`<name>c${i}</name>`);
    });
    // Read side by side (not one after the other), but no more at once than the limit.
    expect(mostAtOnce()).toBe(READ_AT_ONCE);
  });

  it('refuses a file over the limit and reads the rest', async () => {
    const { files } = slowFiles(5, (i) => (i === 2 ? 'x'.repeat(100) : `<a>${i}</a>`));
    const read = await readEachBytes(files, 2, 50);
    expect(
      read.map((r) => ('refused' in r ? 'refused' : new TextDecoder().decode(r.bytes))),
    ).toEqual(['<a>0</a>', '<a>1</a>', 'refused', '<a>3</a>', '<a>4</a>']);
  });
});
