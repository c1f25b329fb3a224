// Browser test of the site `kpmc doc` writes, in headless Chromium driven by
// playwright-core (package.json at the repository's root pins it).
//
//   node tests/doc/browser.mjs KPMC WORK_DIR
//
// Writes the site into WORK_DIR/browser-site, opens pages from file:// and
// checks what a person would do: type into the filter box (the visible rows
// must be exactly the events whose name, alias or description holds every
// word typed, computed here from `kpmc list --format json`), sort columns
// (order computed here), read the counter grid, open the comparison page,
// follow a link from the index, read a page on a phone-sized screen and in
// print.  Any console message of type error, any page error and any request
// that is not file:// fails the test.  Screenshots go to WORK_DIR.
//
// Exit status 0 pass, 1 fail, 77 skipped (no Chromium or no playwright-core).
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CHROMIUM = process.env.KPMC_CHROMIUM || '/usr/bin/chromium';
const [kpmc, work] = process.argv.slice(2);
if (!kpmc || !work) {
  console.error('usage: node browser.mjs KPMC WORK_DIR');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.log(`skipped: no Chromium at ${CHROMIUM} (Debian: apt-get install chromium)`);
  process.exit(77);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.log('skipped: playwright-core is not installed (run npm ci at the repository root)');
  process.exit(77);
}

const site = path.join(work, 'browser-site');
rmSync(site, { recursive: true, force: true });
execFileSync(kpmc, ['doc', '--out', site]);
const catalog = JSON.parse(execFileSync(kpmc, ['list', '--all', '--format', 'json'], { maxBuffer: 64 << 20 }))
  .databases;
const byName = Object.fromEntries(catalog.map((d) => [d.name, d]));
const url = (page) => pathToFileURL(path.join(site, page)).href;

let passed = 0;
let failed = 0;
function check(ok, message) {
  if (ok) passed++;
  else {
    failed++;
    console.log('FAIL ' + message);
  }
}
function sameList(got, want, message) {
  const ok = got.length === want.length && got.every((v, i) => v === want[i]);
  check(ok, `${message}\n  got  (${got.length}): ${got.slice(0, 8).join(' ')}\n  want (${want.length}): ${want.slice(0, 8).join(' ')}`);
}

// The rules of the page, restated independently of kpmc.js.
function matches(event, query) {
  const text = [event.name, ...event.aliases, event.description || ''].join('\n').toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((w) => text.includes(w));
}
function selectorKey(e) {
  return e.number === null ? -1 : e.number * 256 + (e.umask || 0);
}
function upperCompare(a, b) {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
async function newPage(viewport) {
  const page = await browser.newPage({ viewport });
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith('file://')) problems.push(`network request: ${r.url()}`); });
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
  return page;
}

const visibleNames = (page, table) => page.$$eval(`${table} tbody tr:not([hidden]) th > code.q`,
  (els) => els.map((e) => e.textContent));
const allNames = (page, table) => page.$$eval(`${table} tbody tr th > code.q`,
  (els) => els.map((e) => e.textContent));

try {
  // ---- a database page: filter, sort, grid ----
  const a14 = byName.a14;
  const page = await newPage({ width: 1280, height: 900 });
  await page.goto(url('a14.html'));
  await page.screenshot({ path: path.join(work, 'a14.png') });
  const table = '#events-table';
  const catalogOrder = a14.events.map((e) => e.name);
  sameList(await allNames(page, table), catalogOrder, 'a14: rows in catalog order');
  check(await page.locator('label[for="q"]').count() === 1, 'a14: the filter box has a label');

  for (const query of ['branch', 'L1D miss', 'cycles', 'instructions', 'zzz-nothing']) {
    await page.fill('#q', '');
    await page.locator('#q').pressSequentially(query);
    const want = a14.events.filter((e) => matches(e, query)).map((e) => e.name);
    sameList(await visibleNames(page, table), want, `a14: filter "${query}"`);
    check((await page.textContent('#count')) === `${want.length} of ${a14.events.length} events shown`,
      `a14: count text after "${query}": ${await page.textContent('#count')}`);
  }
  check(a14.events.filter((e) => matches(e, 'instructions')).some((e) => e.name === 'FIXED_INSTRUCTIONS'),
    'a14: the alias "Instructions" is searchable');
  await page.fill('#q', '');
  sameList(await visibleNames(page, table), catalogOrder, 'a14: clearing the filter shows every event');

  // Sort by selector: ascending, then descending; ties keep their order.
  const selHead = page.locator(`${table} thead th`, { hasText: 'Selector' });
  await selHead.locator('button').click();
  let want = [...a14.events].sort((x, y) => selectorKey(x) - selectorKey(y));
  sameList(await allNames(page, table), want.map((e) => e.name), 'a14: sorted by selector, ascending');
  check(await selHead.getAttribute('aria-sort') === 'ascending', 'a14: aria-sort ascending on Selector');
  check(await page.locator(`${table} thead th[aria-sort]`).count() === 1, 'a14: one column carries aria-sort');
  await selHead.locator('button').click();
  want = [...want].sort((x, y) => selectorKey(y) - selectorKey(x));
  sameList(await allNames(page, table), want.map((e) => e.name), 'a14: sorted by selector, descending');
  check(await selHead.getAttribute('aria-sort') === 'descending', 'a14: aria-sort descending on Selector');

  // Sort by description (text, upper-cased), then back to names.
  const descHead = page.locator(`${table} thead th`, { hasText: 'Description' });
  await descHead.locator('button').click();
  want = [...want].sort((x, y) => upperCompare(x.description || '', y.description || ''));
  sameList(await allNames(page, table), want.map((e) => e.name), 'a14: sorted by description');
  const nameHead = page.locator(`${table} thead th`, { hasText: 'Event' });
  await nameHead.locator('button').click();
  want = [...want].sort((x, y) => upperCompare(x.name, y.name));
  sameList(await allNames(page, table), catalogOrder, 'a14: sorted by name again');

  // Filtering applies to the sorted table too.
  await page.locator('#q').pressSequentially('mispred');
  sameList(await visibleNames(page, table), a14.events.filter((e) => matches(e, 'mispred')).map((e) => e.name),
    'a14: filter after sorting');
  await page.fill('#q', '');

  // The counter grid: INST_ALL only fits counter 7 on a14.
  const on = await page.$$eval('#ev-INST_ALL .cg .c.on', (els) => els.map((e) => e.textContent));
  sameList(on, ['7'], 'a14: INST_ALL fits counter 7 only');
  const cells = await page.$$eval('#ev-INST_ALL .cg .c', (els) => els.length);
  check(cells === 10, `a14: a grid has 10 counters, found ${cells}`);

  // The picture in the README (docs/screenshot-a14.png): the M1's INST_ events.
  await page.locator('#q').pressSequentially('inst_');
  sameList(await visibleNames(page, table), a14.events.filter((e) => matches(e, 'inst_')).map((e) => e.name),
    'a14: filter "inst_"');
  await page.locator('h2#events').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.getElementById('events').scrollIntoView());
  await page.screenshot({ path: path.join(work, 'a14-filter.png') });
  await page.fill('#q', '');

  // Print: the filter and the database list are hidden.
  await page.emulateMedia({ media: 'print' });
  check(await page.locator('.filter').isHidden(), 'print: the filter box is hidden');
  check(await page.locator('nav.dbs').isHidden(), 'print: the database list is hidden');
  await page.emulateMedia({ media: 'screen' });
  await page.close();

  // ---- phone-sized screens: the page itself never scrolls sideways (wide
  // tables scroll inside their own box) ----
  for (const db of ['index', 'a14', 'haswell', 'icelake', 'compare']) {
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(url(`${db}.html`));
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `phone: ${db}.html is ${width}px wide on a 390px screen`);
    if (db === 'a14') await phone.screenshot({ path: path.join(work, 'a14-phone.png') });
    await phone.close();
  }

  // ---- an Intel page: filter on a dotted name ----
  const hsw = await newPage({ width: 1280, height: 900 });
  await hsw.goto(url('haswell.html'));
  await hsw.locator('#q').pressSequentially('uops_issued');
  sameList(await visibleNames(hsw, table),
    byName.haswell.events.filter((e) => matches(e, 'uops_issued')).map((e) => e.name), 'haswell: filter');
  await hsw.close();

  // ---- the comparison page ----
  const cmp = await newPage({ width: 1280, height: 900 });
  await cmp.goto(url('compare.html'));
  await cmp.screenshot({ path: path.join(work, 'compare.png') });
  const arm = catalog.filter((d) => d.architecture === 'arm64');
  const armNames = [...new Set(arm.flatMap((d) => d.events.map((e) => e.name)))].sort(upperCompare);
  const rowNames = await cmp.$$eval('#matrix-arm64 tbody th', (els) => els.map((e) => e.textContent));
  sameList(rowNames, armNames, 'compare: one arm64 row per event name');
  const cols = await cmp.$$eval('#matrix-arm64 thead th a', (els) => els.map((e) => e.textContent));
  sameList(cols, arm.map((d) => d.name), 'compare: arm64 columns oldest first');
  // INST_ALL: renumbered in as4 (0x8c in a16, 0x8 in as4), not in a16 against as1's predecessor.
  const instAll = cmp.locator('#matrix-arm64 tbody tr', { has: cmp.locator('th', { hasText: /^INST_ALL$/ }) });
  const asIdx = cols.indexOf('as4') + 1;
  const a16Idx = cols.indexOf('a16') + 1;
  check(await instAll.locator('td').nth(asIdx - 1).getAttribute('class') === 'renum',
    'compare: INST_ALL marked renumbered in as4');
  check(!(await instAll.locator('td').nth(a16Idx - 1).getAttribute('class')),
    'compare: INST_ALL not marked in a16');
  await cmp.locator('#q-arm64').pressSequentially('inst_branch');
  sameList(await cmp.$$eval('#matrix-arm64 tbody tr:not([hidden]) th', (els) => els.map((e) => e.textContent)),
    armNames.filter((n) => n.toLowerCase().includes('inst_branch')), 'compare: filter');
  await cmp.close();

  // ---- the index: every database, links work ----
  const idx = await newPage({ width: 1280, height: 900 });
  await idx.goto(url('index.html'));
  const dbs = await idx.$$eval('#dbs tbody th a', (els) => els.map((e) => e.textContent));
  sameList(dbs, catalog.map((d) => d.name), 'index: every database');
  await idx.click('#dbs a[href="as4.html"]');
  check(idx.url().endsWith('/as4.html'), `index: the as4 link leads to ${idx.url()}`);
  check((await idx.$$('#events-table tbody tr')).length === byName.as4.events.length, 'as4: every event');
  await idx.close();
} catch (e) {
  check(false, `exception: ${e.stack || e}`);
} finally {
  await browser.close();
}
for (const p of problems) check(false, p);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
