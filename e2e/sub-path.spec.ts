// The built app served by a plain static server under a sub-path, as an operator deploys it next to
// other tools (https://host/tools/ckpt/): every file it asks for must be under that path.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { test as app } from './fixtures.ts';
import { conformancePath, expect, projectRoot, tree, validated, validation } from './fixtures.ts';

const PREFIX = '/some/path/';
const DIST = join(projectRoot, 'dist');
const INVALID = conformancePath('libvirt-tests', 'out', 'internal-active-invalid.xml');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.rng': 'application/xml',
  '.map': 'application/json',
};

interface SubPathServer {
  url: string;
  /** Every path asked for, in order. */
  requested: string[];
}

/** dist/ under PREFIX and nothing anywhere else, as nginx's `location /some/path/ { alias … }`. */
const test = app.extend<object, { subPath: SubPathServer }>({
  subPath: [
    // Playwright reads the fixtures a fixture needs from its first parameter: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide) => {
      const requested: string[] = [];
      const server = createServer((req, res) => {
        const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        requested.push(path);
        const inside = path.startsWith(PREFIX) ? path.slice(PREFIX.length) : undefined;
        const file = inside === undefined ? undefined : normalize(inside || 'index.html');
        if (file === undefined || file.startsWith('..')) {
          res.writeHead(404).end();
          return;
        }
        readFile(join(DIST, file)).then(
          (body) => {
            res.writeHead(200, {
              'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
            });
            res.end(body);
          },
          () => res.writeHead(404).end(),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await provide({ url: `http://127.0.0.1:${port}${PREFIX}`, requested });
      await new Promise((resolve) => server.close(resolve));
    },
    { scope: 'worker' },
  ],
  // The app's origin is this server's: the fixture's watch fails the test on any other request.
  baseURL: async ({ subPath }, provide) => provide(subPath.url),
});

test('served under a sub-path: the app, its schemas, worker and wasm load from there and validate', async ({
  page,
  subPath,
}) => {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportViolation: (v: string) => void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      ),
    );
  });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const start = subPath.requested.length;

  await page.goto(subPath.url);
  await expect(tree(page)).toBeVisible();
  await expect(page.getByText(/^libvirt [\d.]+ schemas$/)).toBeVisible();
  await page.getByLabel('Open checkpoint files').setInputFiles(INVALID);
  await expect(tree(page).getByRole('treeitem')).toHaveCount(1);
  await validated(page);
  // The schema verdict: xmllint's wasm ran in its worker over the schemas fetched from the sub-path.
  const problem = validation(page).getByRole('button', { name: /line 52/ });
  await expect(problem).toContainText('active');
  await expect(problem).toContainText('error');

  const asked = subPath.requested.slice(start);
  expect(
    asked.filter((p) => !p.startsWith(PREFIX)),
    'requests outside the sub-path',
  ).toEqual([]);
  expect(asked).toContainEqual(expect.stringMatching(/^\/some\/path\/assets\/.*\.wasm$/));
  expect(asked).toContain(`${PREFIX}schemas/current.json`);
  expect(asked).toContainEqual(
    expect.stringMatching(/^\/some\/path\/schemas\/.+\/manifest\.json$/),
  );
  expect(workers.length).toBeGreaterThan(0);
  for (const url of workers) expect(url.startsWith(subPath.url), url).toBe(true);

  // The icon is the app's own, under the sub-path.
  const icon = await page.locator('link[rel="icon"]').evaluate((l) => (l as HTMLLinkElement).href);
  expect(icon).toBe(`${subPath.url}favicon.svg`);
  const iconResponse = await page.request.get(icon);
  expect(iconResponse.status()).toBe(200);
  expect(await iconResponse.text()).toContain('<svg');

  // The Content-Security-Policy still holds.
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  // An inline script (what an injection would add) is refused, and that is the only violation.
  expect(
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.inline = "ran"';
      document.head.append(script);
      return document.body.dataset.inline ?? 'refused';
    }),
  ).toBe('refused');
  await expect.poll(() => violations).toEqual([expect.stringMatching(/^script-src-elem inline/)]);
});
