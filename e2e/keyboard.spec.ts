import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, openApp, pastUndoBurst, tabTo, test, textbox, tree } from './fixtures.ts';
import { backupFolder, openBackupFolder, openVmsFolder, VIEWS } from './layout-data.ts';

// Issue 25.4: every control shows where the keyboard is; Ctrl+Enter opens pasted XML; an undo
// says what it changed, in which file, and shows that file.

/**
 * The focused element, each time Tab moves on, as the eye finds it: its outline, box shadow,
 * border and background (its label's, for an input visually hidden beside its label; its
 * nearest ancestors', for a text editor whose frame shows focus) while it has focus, then the
 * same once Tab has moved on. An element whose look is the same both ways shows no focus.
 */
async function focusWithoutIndicator(
  page: Page,
  maxSteps = 250,
): Promise<{ reached: number; missing: string[] }> {
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    const look = (el: Element): string[] => {
      // A visually hidden input's own outline is a pixel nobody sees: its label is what shows.
      const box = el.getBoundingClientRect();
      const shown: Element[] = box.width * box.height > 4 ? [el] : [];
      if (el instanceof HTMLInputElement && el.labels) shown.push(...el.labels);
      for (let a = el.parentElement, i = 0; a && i < 3; a = a.parentElement, i++) shown.push(a);
      return shown.map((e) => {
        const s = getComputedStyle(e);
        return [
          s.outlineStyle === 'none'
            ? 'none'
            : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
          s.boxShadow,
          s.borderTopColor,
          s.borderBottomColor,
          s.backgroundColor,
          s.textDecorationLine,
        ].join('|');
      });
    };
    const describe = (el: Element): string => {
      const name =
        el.getAttribute('aria-label') ??
        (el instanceof HTMLInputElement ? el.labels?.[0]?.textContent : null) ??
        el.textContent ??
        '';
      return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name.trim().slice(0, 40)}"`;
    };
    w['__focusLook'] = look;
    w['__focusName'] = describe;
    w['__focusSeen'] = new Set<Element>();
    w['__focusMissing'] = [] as string[];
    w['__focusLast'] = null;
  });
  // Start from the top of the page.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  for (let i = 0; i < maxSteps; i++) {
    await page.keyboard.press('Tab');
    const cycled = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const look = w['__focusLook'] as (el: Element) => string[];
      const describe = w['__focusName'] as (el: Element) => string;
      const seen = w['__focusSeen'] as Set<Element>;
      const missing = w['__focusMissing'] as string[];
      const last = w['__focusLast'] as { el: Element; focused: string[] } | null;
      // The one before, now without focus: did it look any different with it?
      if (last && last.el.isConnected && document.activeElement !== last.el) {
        const unfocused = look(last.el);
        if (unfocused.every((v, k) => v === last.focused[k])) missing.push(describe(last.el));
      }
      const el = document.activeElement;
      if (!el || el === document.body) return false;
      if (seen.has(el)) return true;
      seen.add(el);
      w['__focusLast'] = { el, focused: look(el) };
      return false;
    });
    if (cycled) break;
  }
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return {
      reached: (w['__focusSeen'] as Set<Element>).size,
      missing: w['__focusMissing'] as string[],
    };
  });
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

test.describe('every view, by keyboard', () => {
  let folder: ReturnType<typeof backupFolder>;
  test.beforeAll(() => {
    folder = backupFolder();
  });
  test.afterAll(() => folder.remove());

  for (const view of VIEWS) {
    test(`${view.tab}: each control Tab reaches shows its focus; axe finds nothing serious`, async ({
      page,
    }) => {
      if (view.tab === 'VMs') await openVmsFolder(page);
      else {
        await openBackupFolder(page, folder.dir);
        await tree(page).getByRole('treeitem', { name: 'c3', exact: true }).click();
      }
      await page.getByRole('tab', { name: view.name }).click();
      await view.ready(page);
      const { reached, missing } = await focusWithoutIndicator(page);
      expect(missing).toEqual([]);
      // The check went through the page: the top bar, the tree, the view, the problems.
      expect(reached).toBeGreaterThan(15);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});

test('"Open qemu-img info", a visually hidden file input, shows its focus on its label', async ({
  page,
}) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Bitmaps' }).click();
  const input = page.getByLabel('Open qemu-img info');
  await tabTo(page, input);
  const label = page.locator('label', { hasText: 'Open qemu-img info' });
  await expect(label).toHaveCSS('outline-style', 'solid');
  await page.keyboard.press('Tab');
  await expect(label).toHaveCSS('outline-style', 'none');
});

test('Paste XML: Ctrl+Enter opens what was pasted, Enter alone is a new line', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Paste XML' }).click();
  const area = page.getByRole('textbox', { name: 'Checkpoint XML to open' });
  await expect(area).toBeFocused();
  await page.keyboard.press('Control+Enter');
  // Nothing pasted: nothing opened, the dialog stays.
  await expect(area).toBeVisible();
  await area.fill('<domaincheckpoint>\n  <name>pasted</name>');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('</domaincheckpoint>');
  await expect(area).toHaveValue('<domaincheckpoint>\n  <name>pasted</name>\n</domaincheckpoint>');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByRole('dialog', { name: 'Paste checkpoint XML' })).toHaveCount(0);
  await expect(tree(page).getByRole('treeitem', { name: 'pasted', exact: true })).toBeVisible();
});

test('undo and redo of an edit in a file not on screen say what they changed and show that file', async ({
  page,
}) => {
  // At 1024 px the top bar had about 100 px left for the line: "Undo: web01-2…", the change unsaid.
  await page.setViewportSize({ width: 1024, height: 700 });
  await openApp(page);
  const first = tree(page).getByRole('treeitem', { name: 'web01-2024-03-01' });
  const third = tree(page).getByRole('treeitem', { name: 'web01-2024-03-03' });
  await first.click();
  const description = textbox(page, 'Description');
  const before = await description.inputValue();
  await description.fill('Moved to the new array');
  await pastUndoBurst(page);
  // Away from it: another file in the editor, then the Chain.
  await third.click();
  await expect(third).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: /^Chain/ }).click();
  const note = page.getByRole('status').filter({ hasText: /^(Undo|Redo)/ });
  await page.keyboard.press('Control+z');
  await expect(note).toHaveText(
    `Undo: web01-2024-03-01.xml: description Moved to the new array → ${before}`,
  );
  await expect(note).toHaveAttribute('aria-live', 'polite');
  // Shown whole, not cut with an ellipsis.
  expect(
    await note.evaluate((e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight),
  ).toBe(true);
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Checkpoint' }).click();
  await expect(description).toHaveValue(before);
  await third.click();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(note).toHaveText(
    `Redo: web01-2024-03-01.xml: description ${before} → Moved to the new array`,
  );
  await expect(first).toHaveAttribute('aria-selected', 'true');
  await expect(description).toHaveValue('Moved to the new array');
  // The line goes once the files change again.
  await description.fill('Something else');
  await expect(note).toHaveCount(0);
});
