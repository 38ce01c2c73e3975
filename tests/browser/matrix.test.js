#!/usr/bin/env node
/*
 * matrix.test.js: the HTML matrix in a real browser (Debian's chromium,
 * driven by playwright-core).
 *
 * Renders tests/fixtures/matrix/sample.json with the render_matrix
 * helper, opens the page from disk with every network request blocked,
 * and checks what a reader does with it: count the rows, sort, filter
 * by text and by status, print. Any request that is not for a file, any
 * console error and any Content-Security-Policy violation fails it.
 * Leaves the page and a full-page screenshot for a person to look at.
 *
 * Environment:
 *   RENDER_MATRIX      the render_matrix executable (required)
 *   MATRIX_JSON        the document (default: the sample fixture)
 *   MATRIX_OUT_DIR     where matrix.html goes (default: the current
 *                      folder)
 *   MATRIX_SCREENSHOT  the screenshot PNG (default: matrix.png in
 *                      MATRIX_OUT_DIR)
 *   CHROMIUM           the browser (default: /usr/bin/chromium)
 *
 * Prints "N passed, M failed" and exits non-zero on any failure.
 */
'use strict';

const assert = require('node:assert/strict');
const {execFileSync} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {pathToFileURL} = require('node:url');
const {chromium} = require('playwright-core');

const renderer = process.env.RENDER_MATRIX;
const documentPath = process.env.MATRIX_JSON ||
  path.join(__dirname, '..', 'fixtures', 'matrix', 'sample.json');
const outDir = process.env.MATRIX_OUT_DIR || process.cwd();
const pagePath = path.join(outDir, 'matrix.html');
const screenshotPath = process.env.MATRIX_SCREENSHOT ||
  path.join(outDir, 'matrix.png');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';

const rowsSelector = '#matrix tbody tr';
const visibleRows = rowsSelector + ':visible';

/* The ID in the first cell of the first row of the table. */
async function firstThreat(page) {
  return (await page.locator(rowsSelector).first()
    .locator('td').first().locator('.id').textContent()).trim();
}

/* The same, of the first row a filter leaves visible. */
async function firstVisibleThreat(page) {
  return (await page.locator(visibleRows).first()
    .locator('td').first().locator('.id').textContent()).trim();
}

/* The header cell of the column named name, and its sort button. */
function header(page, name) {
  const th = page.locator('#matrix thead th', {hasText: name});
  return {th, button: th.locator('button')};
}

/* The checks, in order; each gets the page and the document. */
const checks = [
  ['the table has one row per document row', async (page, doc) => {
    assert.equal(await page.locator(rowsSelector).count(), doc.rows.length);
    assert.equal(await page.locator(visibleRows).count(), doc.rows.length);
    assert.equal(await page.locator('#filter-count').textContent(),
      `Rows shown: ${doc.rows.length} of ${doc.rows.length}`);
  }],

  ['the script shows the filter controls', async (page) => {
    assert.equal(await page.locator('#controls').isVisible(), true);
  }],

  ['the coverage chart has a tile per mitigation', async (page, doc) => {
    const ids = new Set(doc.rows.filter((r) => r.mitigation)
      .map((r) => r.mitigation.id));
    assert.equal(await page.locator('#coverage-chart .tile').count(),
      ids.size);
  }],

  ['sorting by threat: ascending, descending, ascending', async (page) => {
    const {th, button} = header(page, 'Threat status');
    const threat = page.locator('#matrix thead th').first();

    assert.equal(await firstThreat(page), 'T-PIN');
    await threat.locator('button').click();
    assert.equal(await threat.getAttribute('aria-sort'), 'ascending');
    assert.equal(await firstThreat(page), 'T-LOG');
    await threat.locator('button').click();
    assert.equal(await threat.getAttribute('aria-sort'), 'descending');
    assert.equal(await firstThreat(page), 'T-REPLAY');
    /* From the keyboard, as a button. */
    await threat.locator('button').focus();
    await page.keyboard.press('Enter');
    assert.equal(await threat.getAttribute('aria-sort'), 'ascending');
    assert.equal(await firstThreat(page), 'T-LOG');
    /* Sorting another column takes aria-sort from the first. */
    await button.click();
    assert.equal(await th.getAttribute('aria-sort'), 'ascending');
    assert.equal(await threat.getAttribute('aria-sort'), null);
  }],

  ['sorting by the thwart tests orders by result', async (page) => {
    const {button} = header(page, 'Thwart');

    await button.click();
    /* No mitigation, then a missing test, then a passed one. */
    assert.deepEqual(await page.locator(rowsSelector).evaluateAll(
      (rows) => rows.map((r) => r.cells[0].querySelector('.id')
        .textContent)), ['T-LOG', 'T-REPLAY', 'T-PIN']);
    await button.click();
    assert.equal(await firstThreat(page), 'T-PIN');
  }],

  ['the text filter hides the rows without the text', async (page, doc) => {
    const text = page.locator('#filter-text');

    await text.fill('replay');
    assert.equal(await page.locator(visibleRows).count(), 1);
    assert.equal(await firstVisibleThreat(page), 'T-REPLAY');
    await text.fill('STRCPY copy_name');
    assert.equal(await page.locator(visibleRows).count(), 1);
    await text.fill('no such text anywhere');
    assert.equal(await page.locator(visibleRows).count(), 0);
    assert.equal(await page.locator('#filter-count').textContent(),
      `Rows shown: 0 of ${doc.rows.length}`);
    await text.fill('');
    assert.equal(await page.locator(visibleRows).count(), doc.rows.length);
  }],

  ['the status filter shows only rows of that status', async (page, doc) => {
    const status = page.locator('#filter-status');
    const statuses = () => page.locator(visibleRows).evaluateAll(
      (rows) => rows.map((r) => r.getAttribute('data-status')));

    await status.selectOption('gaps');
    assert.deepEqual(await statuses(), ['gaps']);
    await status.selectOption('accepted');
    assert.deepEqual(await statuses(), ['accepted']);
    await status.selectOption('not-mitigated');
    assert.deepEqual(await statuses(), []);
    /* Both filters at once. */
    await status.selectOption('verified');
    await page.locator('#filter-text').fill('replay');
    assert.deepEqual(await statuses(), []);
    await page.locator('#filter-text').fill('');
    await status.selectOption('all');
    assert.equal(await page.locator(visibleRows).count(), doc.rows.length);
  }],

  ['print hides the controls and opens the details', async (page) => {
    await page.emulateMedia({media: 'print'});
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    assert.equal(await page.locator('#controls').isVisible(), false);
    assert.equal(await page.locator('details').evaluate((d) => d.open), true);
    assert.equal(await page.evaluate(
      () => getComputedStyle(document.body).backgroundColor),
    'rgb(255, 255, 255)');
    await page.emulateMedia({media: 'screen'});
    await page.locator('details').evaluate((d) => {
      d.open = false;
    });
  }],
];

/* Opens the page with the network blocked; returns what it observed. */
async function openPage(context) {
  const seen = {requests: [], console: [], csp: []};

  await context.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    seen.requests.push(url);
    return route.abort();
  });
  context.on('request', (request) => {
    if (!request.url().startsWith('file:')) seen.requests.push(request.url());
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`csp violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') seen.console.push(message.text());
  });
  page.on('pageerror', (error) => seen.console.push(String(error)));
  await page.setViewportSize({width: 1440, height: 900});
  await page.goto(pathToFileURL(pagePath).href);
  return {page, seen};
}

async function main() {
  const results = {passed: 0, failed: 0};
  const record = (name, error) => {
    if (error) {
      results.failed += 1;
      console.log(`FAIL ${name}\n  ${String(error.stack || error)
        .split('\n').join('\n  ')}`);
    } else {
      results.passed += 1;
      console.log(`ok   ${name}`);
    }
  };

  if (!renderer) throw new Error('RENDER_MATRIX is not set');
  if (!fs.existsSync(browserPath)) {
    throw new Error(`${browserPath} not found: install chromium ` +
      '(scripts/install-deps does)');
  }
  fs.mkdirSync(outDir, {recursive: true});
  execFileSync(renderer, [documentPath, pagePath], {stdio: 'inherit'});
  const doc = JSON.parse(fs.readFileSync(documentPath, 'utf8'));

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'matrix-chromium-'));
  const started = Date.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    context.setDefaultTimeout(10000);
    const {page, seen} = await openPage(context);

    await page.screenshot({path: screenshotPath, fullPage: true});
    console.log(`screenshot: ${screenshotPath}`);
    for (const [name, check] of checks) {
      try {
        await check(page, doc);
        record(name);
      } catch (error) {
        record(name, error);
      }
    }

    for (const [name, list] of [
      ['no request left the page', seen.requests],
      ['no console error and no CSP violation', seen.console],
    ]) {
      record(name, list.length ? new Error(list.join('\n')) : null);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  console.log(`browser time: ${Date.now() - started} ms`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  return results.failed ? 1 : 0;
}

main().then((code) => {
  process.exitCode = code;
}, (error) => {
  console.log(`FAIL ${error.stack || error}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
