import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { serveApp } from './support/api-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../src/services/index.js';
import { systemActor } from '../src/services/types.js';
import { authUser } from '../src/services/users.js';
import { openStore, type Store } from '../src/store/index.js';
import { recordings } from '../src/store/schema.js';
import { CALLS, completeReviewOf, NOW, PROBLEM, storeCall } from './support/review-calls.js';
import { buildWeb, openBrowser, shot, tempDir, logIn as logInAt, watchErrors } from './support/web-env.js';

/**
 * The admins' personal-data page (web/src/pages/data.tsx) in a real headless Chromium over the real app on the
 * embedded database: calls stored through the repository with a customer id in their metadata (one reviewed and
 * disputed), looked up, exported as a downloaded JSON file, and erased after typing the customer id again; the
 * API then finds none, and another customer's call stays. An inspector has no such page. Screenshots in English
 * and Chinese go to test/.cache/screenshots/ (looked at by a person before the page is called done).
 */

const PASSWORD = 'correct horse battery staple';
const CUSTOMER = 'C-1042';
let store: Store;
let services: Services;
let server: { base: string; close(): Promise<void> } | undefined;
let base: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const work = tempDir('callqa-ui-data-');
  const web = path.join(work, 'web');
  const built = buildWeb(web);
  store = await openStore({ dataDir: path.join(work, 'data') });
  const mediaDir = path.join(work, 'media');
  services = createServices(store, { mediaDir });
  // the review and the dispute on the suites' clock (the dispute window counts from the review)
  const onClock = createServices(store, { mediaDir, now: () => NOW });
  const ex = CALLS.findIndex((c) => c.agent === 'a1' && c.example === PROBLEM);
  const meta = [
    { key: 'first', customerId: CUSTOMER, startedAt: '2026-11-20T09:00:00+08:00' },
    { key: 'second', customerId: CUSTOMER, startedAt: '2026-11-24T15:30:00+08:00' },
    { key: 'third', customerId: CUSTOMER, startedAt: '2026-11-27T11:05:00+08:00' },
    { key: 'other', customerId: 'C-7', startedAt: '2026-11-25T10:00:00+08:00' },
  ];
  for (const [i, m] of meta.entries()) {
    const id = await storeCall(store, CALLS[ex]!, 40 + i);
    await store.db.update(recordings).set({ metadata: { agentId: 'a1', team: 'blue', customerId: m.customerId, startedAt: m.startedAt } }).where(eq(recordings.id, id));
    ids[m.key] = id;
  }
  const users = [
    { username: 'admin', role: 'admin' },
    { username: 'insp1', role: 'inspector', team: 'blue' },
    { username: 'sup', role: 'supervisor', team: 'blue' },
    { username: 'agent1', role: 'agent', agentId: 'a1', team: 'blue' },
  ] as const;
  for (const u of users) await services.users.add(systemActor('test'), { ...u, password: PASSWORD });
  const user = async (n: string) => authUser((await services.users.repo.getUserByName(n))!);
  await completeReviewOf(onClock, await user('sup'), ids.second!, { 'banned-phrase': 0 });
  await onClock.disputes.openDispute(await user('agent1'), ids.second!, { itemId: 'banned-phrase', reason: 'I did not say that' });
  await built;
  const served = await serveApp(services, { webDir: web });
  server = served;
  base = served.base;
}, 600_000);

afterAll(async () => {
  await server?.close();
  await store?.close();
});

const logIn = (page: Page, username: string) => logInAt(page, base, username, PASSWORD);

/** POST /api/data/find from inside the page (the admin's session and CSRF token). */
async function findInPage(page: Page, body: unknown): Promise<{ status: number; calls: { id: string }[] }> {
  return page.evaluate(async (b) => {
    const me = (await (await fetch('/api/me', { credentials: 'same-origin' })).json()) as { csrfToken?: string };
    const r = await fetch('/api/data/find', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrfToken ?? '' },
      body: JSON.stringify(b),
    });
    const j = (await r.json()) as { calls?: { id: string }[] };
    return { status: r.status, calls: j.calls ?? [] };
  }, body);
}

const rowsOf = (page: Page) => page.$$eval('table.data-calls tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));

describe('personal data page in headless Chromium', () => {
  it('an inspector has no personal-data page', async () => {
    const b = await openBrowser('en-US');
    try {
      await logIn(b.page, 'insp1');
      const nav = await b.page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
      expect(nav).toContain('#/queue');
      expect(nav).not.toContain('#/data');
      // nor by typing the address
      await b.page.goto(`${base}/#/data`);
      await b.page.waitForSelector('header.topbar');
      expect(await b.page.locator('.data-page').count()).toBe(0);
    } finally {
      await b.close();
    }
  });

  it('English: an admin looks a customer up by keyboard, sees the calls, downloads the export', async () => {
    const b = await openBrowser('en-US');
    const errors = watchErrors(b.page);
    const page = b.page;
    try {
      await logIn(page, 'admin');
      await page.click('header nav a[href="#/data"]');
      await page.waitForSelector('form.data-find');
      expect(await page.textContent('h1')).toBe('Personal data');
      // nothing named: said so, nothing asked of the server
      await page.click('form.data-find button[type=submit]');
      expect(await page.textContent('.form-error')).toContain('Enter a customer id');
      // a malformed call id: the server's error in the page
      await page.fill('input[name=callIds]', 'not-a-uuid');
      await page.press('input[name=callIds]', 'Enter');
      await page.waitForSelector('.form-error:has-text("Something went wrong")');
      await page.fill('input[name=callIds]', '');
      // by keyboard: the customer id field has focus on arrival; Enter looks up
      await page.focus('input[name=customerId]');
      await page.keyboard.type(CUSTOMER);
      await page.keyboard.press('Enter');
      await page.waitForSelector('table.data-calls tbody tr');
      expect(await page.textContent('#data-found-title')).toBe(`3 calls held for customer ${CUSTOMER}`);
      const rows = await rowsOf(page);
      expect(rows.map((r) => r[0])).toEqual(['2026-11-20', '2026-11-24', '2026-11-27']);
      expect(rows.every((r) => r[1]!.endsWith('-a1.wav') && r[2] === 'a1' && r[3] === CUSTOMER)).toBe(true);
      expect(rows[1]![5]).toBe('Reviewed');
      expect(rows[1]![6]).toBe('1');
      expect(rows[0]![5]).toBe('Not reviewed');
      expect(await page.getAttribute('table.data-calls tbody tr:nth-child(1) td:nth-child(2)', 'title')).toBe(ids.first);
      // the erase button waits for the customer id typed again
      expect(await page.isDisabled('.erase-box button.danger')).toBe(true);
      expect(await page.textContent('.erase-box')).toContain('cannot be undone');
      expect(await page.textContent('.erase-box')).toContain('only from the command line');
      await shot(page, 'en-data-found');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.download')]);
      expect(download.suggestedFilename()).toBe(`${CUSTOMER}.json`);
      const doc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { selector: unknown; calls: { id: string; customerId: string; transcripts: unknown[]; findings: unknown[] }[]; notIncluded: string[] };
      expect(doc.selector).toEqual({ customerId: CUSTOMER });
      expect(doc.calls.map((c) => c.id).sort()).toEqual([ids.first, ids.second, ids.third].sort());
      expect(doc.calls.every((c) => c.customerId === CUSTOMER && c.transcripts.length > 0 && c.findings.length > 0)).toBe(true);
      await page.waitForSelector('.data-found .notice-inline');
      expect(await page.textContent('.data-found .notice-inline')).toContain(`Downloaded ${CUSTOMER}.json: 3 calls`);
      await shot(page, 'en-data-exported');
      expect(errors).toEqual([]);
    } finally {
      await b.close();
    }
  });

  it('Chinese: an admin erases the customer after typing the id again; the API finds none, another customer stays', async () => {
    const b = await openBrowser('zh-CN');
    const errors = watchErrors(b.page);
    const page = b.page;
    try {
      await logIn(page, 'admin');
      expect(await page.textContent('header nav a[href="#/data"]')).toBe('个人数据');
      await page.click('header nav a[href="#/data"]');
      await page.fill('input[name=customerId]', CUSTOMER);
      await page.press('input[name=customerId]', 'Enter');
      await page.waitForSelector('table.data-calls tbody tr');
      expect(await page.textContent('#data-found-title')).toBe(`客户 ${CUSTOMER} 共有 3 通通话`);
      expect(await page.textContent('.erase-box')).toContain('删除后无法恢复');
      // the wrong id does not enable it
      await page.fill('.erase-box input[name=confirm]', 'C-104');
      expect(await page.isDisabled('.erase-box button.danger')).toBe(true);
      await page.press('.erase-box input[name=confirm]', 'Enter');
      expect(await page.locator('.erase-result').count()).toBe(0);
      await page.fill('.erase-box input[name=confirm]', CUSTOMER);
      expect(await page.isDisabled('.erase-box button.danger')).toBe(false);
      await shot(page, 'zh-data-confirm');
      await page.press('.erase-box input[name=confirm]', 'Enter');
      await page.waitForSelector('.erase-result');
      expect(await page.textContent('.erase-result .notice-inline')).toContain('已删除 3 通通话。');
      // the originals were never callqa's to delete: named, where they are
      const left = await page.$$eval('.erase-result .audio-left li', (lis) => lis.map((li) => li.textContent));
      expect(left.sort()).toEqual(['/nonexistent/call-40.wav', '/nonexistent/call-41.wav', '/nonexistent/call-42.wav']);
      const tables = Object.fromEntries(await page.$$eval('table.erase-rows tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-table'), Number(tr.cells[1]!.textContent)])));
      expect(tables.recordings).toBe(3);
      expect(tables.disputes).toBe(1);
      expect(await page.textContent('table.erase-rows tr[data-table=recordings] td')).toBe('通话');
      expect(await page.textContent('#data-found-title')).toBe(`没有客户 ${CUSTOMER} 的通话。`);
      expect(await page.locator('table.data-calls').count()).toBe(0);
      await shot(page, 'zh-data-erased');

      const gone = await findInPage(page, { customerId: CUSTOMER });
      expect(gone).toEqual({ status: 200, calls: [] });
      expect((await findInPage(page, { callIds: [ids.first, ids.second, ids.third] })).calls).toEqual([]);
      expect((await findInPage(page, { customerId: 'C-7' })).calls.map((c) => c.id)).toEqual([ids.other]);
      expect(errors).toEqual([]);
    } finally {
      await b.close();
    }
  });
});
