#!/usr/bin/env node
/*
 * matrix.test.js: the HTML matrix in a real browser (Debian's chromium,
 * driven by playwright-core).
 *
 * Renders a matrix document (by default tests/fixtures/matrix/sample.json)
 * with the render_matrix helper, opens the page from disk with every
 * network request blocked, and checks what a reader does with it: count
 * the rows, sort, filter by text and by status, print. What each step
 * should show is worked out from the document, so any matrix document
 * can be checked. Any request that is not for a file, any console error
 * and any Content-Security-Policy violation fails it. Leaves the page
 * and a full-page screenshot for a person to look at.
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

/*
 * What the document says a reader should see. Everything the checks
 * expect comes from here, so they hold for any matrix document.
 */

/* The result ranks of the test columns' sort, worst first. */
const resultRanks = ['missing', 'not-run', 'skipped', 'error', 'failed',
  'passed'];

/*
 * The page sorts IDs in natural order: letters without regard to case,
 * runs of digits by value (T-2 before T-10). Ties keep the document's
 * order, in either direction.
 */
const collator = new Intl.Collator('en', {numeric: true, sensitivity: 'base'});

/* The row's status, by which the status filter shows it. */
function rowStatus(row) {
  if (row.threat.status === 'accepted') return 'accepted';
  if (row.mitigation) return row.mitigation.status;
  return row.threat.status || 'not-mitigated';
}

/*
 * The best result among a row's tests of one kind, as a rank; an
 * unknown result counts as not run, a row without mitigation sorts
 * first.
 */
function bestResult(row, kind) {
  if (!row.mitigation) return -1;
  return Math.max(0, ...row.mitigation.tests[kind].map(
    (t) => Math.max(1, resultRanks.indexOf(t.result))));
}

/* A row as rowOrder() names it: "threat/mitigation". */
function rowName(row) {
  return `${row.threat.id}/${row.mitigation ? row.mitigation.id : ''}`;
}

/* The rows' names, sorted stably by key (a number or an ID). */
function sortedRows(rows, key, sign) {
  const compare = (a, b) => typeof a === 'number' ? a - b :
    collator.compare(a, b);
  return rows.map((row, index) => ({row, index, key: key(row)}))
    .sort((x, y) => sign * compare(x.key, y.key) || x.index - y.index)
    .map((k) => rowName(k.row));
}

/* Every string value in v, at any depth. */
function strings(v) {
  if (typeof v === 'string') return [v];
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

/*
 * The rows the text filter should show for text: those holding every
 * word, without regard to case. Threat IDs make the terms; an ID is
 * shown as written, so the document's strings stand in for the row's
 * text.
 */
function rowsWithText(rows, text) {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    const values = strings(row).map((s) => s.toLowerCase());
    return words.every((w) => values.some((s) => s.includes(w)));
  });
}

/* What each check expects of the page of doc. */
function expectations(doc) {
  const rows = doc.rows;
  /* A document without rows still gets its terms; they match nothing. */
  const none = {threat: {id: 'no-threat'}, mitigation: null};
  const last = rows.length ? rows[rows.length - 1] : none;
  const threatIds = [...new Set((rows.length ? rows : [none])
    .map((r) => r.threat.id))];
  /* One threat's ID, in a case the document does not use. */
  const term = last.threat.id.toLowerCase() === last.threat.id ?
    last.threat.id.toUpperCase() : last.threat.id.toLowerCase();
  /* Two threats' IDs: only a row holding both words may stay. */
  const twoTerms = `${threatIds[0]} ${threatIds[threatIds.length - 1]}`;
  /* A mitigation's ID and its threat's, from two cells of one row. */
  const mitigated = rows.filter((r) => r.mitigation).pop();
  const pairTerms = mitigated ?
    `${mitigated.mitigation.id.toLowerCase()} ${mitigated.threat.id}` : term;
  const statuses = ['verified', 'gaps', 'accepted', 'not-mitigated'];
  const other = statuses.find((s) => s !== rowStatus(last));

  return {
    rows: rows.length,
    documentOrder: rows.map(rowName),
    byThreatUp: sortedRows(rows, (r) => r.threat.id, 1),
    byThreatDown: sortedRows(rows, (r) => r.threat.id, -1),
    byThwartUp: sortedRows(rows, (r) => bestResult(r, 'thwart'), 1),
    byThwartDown: sortedRows(rows, (r) => bestResult(r, 'thwart'), -1),
    term,
    termRows: rowsWithText(rows, term).length,
    twoTerms,
    twoTermsRows: rowsWithText(rows, twoTerms).length,
    pairTerms,
    pairTermsRows: rowsWithText(rows, pairTerms).length,
    perStatus: statuses.map((s) => [s,
      rows.filter((r) => rowStatus(r) === s).length]),
    /* The term with its own row's status, then with another status. */
    termAndStatus: [rowStatus(last), other].map((s) => [s,
      rowsWithText(rows, term).filter((r) => rowStatus(r) === s).length]),
  };
}

/*
 * The table's rows in the table's order, each named by the IDs in its
 * threat cell and its mitigation cell: "threat/mitigation".
 */
function rowOrder(page) {
  return page.locator(rowsSelector).evaluateAll((rows) => rows.map((r) => {
    const id = (cell) => {
      const el = r.cells[cell].querySelector('.id');
      return el ? el.textContent.trim() : '';
    };
    return `${id(0)}/${id(3)}`;
  }));
}

/* The header cell of the column named name, and its sort button. */
function header(page, name) {
  const th = page.locator('#matrix thead th', {hasText: name});
  return {th, button: th.locator('button')};
}

/* The count line under the filters, for shown of total rows. */
function shownText(shown, total) {
  return `Rows shown: ${shown} of ${total}`;
}

/*
 * The checks, in order; each gets the page, the expectations and the
 * document.
 */
const checks = [
  ['the table has one row per document row', async (page, want) => {
    assert.equal(await page.locator(rowsSelector).count(), want.rows);
    assert.equal(await page.locator(visibleRows).count(), want.rows);
    assert.equal(await page.locator('#filter-count').textContent(),
      shownText(want.rows, want.rows));
  }],

  ['the script shows the filter controls', async (page) => {
    assert.equal(await page.locator('#controls').isVisible(), true);
  }],

  ['the coverage chart has a tile per mitigation', async (page, _, doc) => {
    const ids = new Set(doc.rows.filter((r) => r.mitigation)
      .map((r) => r.mitigation.id));
    assert.equal(await page.locator('#coverage-chart .tile').count(),
      ids.size);
  }],

  ['each ID in the coverage chart is whole and clear of its cells',
    async (page) => {
      const tiles = await page.locator('#coverage-chart .tile').evaluateAll(
        (gs) => gs.map((g) => {
          const label = g.querySelector('text');
          const cell = g.querySelector('rect');
          return {
            id: label.querySelector('title').textContent,
            shown: [...label.childNodes].filter((n) => n.nodeType === 3)
              .map((n) => n.textContent).join(''),
            labelEnd: label.getBBox().x + label.getBBox().width,
            cellStart: Number(cell.getAttribute('x')),
          };
        }));
      for (const t of tiles) {
        /* The chart cuts only IDs longer than 32 characters. */
        const want = [...t.id].length > 32 ?
          [...t.id].slice(0, 32).join('') + '\u2026' : t.id;
        assert.equal(t.shown, want);
        assert.ok(t.labelEnd <= t.cellStart,
          `${t.id} ends at ${t.labelEnd}, its cells start at ${t.cellStart}`);
      }
    }],

  ['sorting by threat: ascending, descending, ascending',
    async (page, want) => {
      const {th, button} = header(page, 'Threat status');
      const threat = page.locator('#matrix thead th').first();

      assert.deepEqual(await rowOrder(page), want.documentOrder);
      await threat.locator('button').click();
      assert.equal(await threat.getAttribute('aria-sort'), 'ascending');
      assert.deepEqual(await rowOrder(page), want.byThreatUp);
      await threat.locator('button').click();
      assert.equal(await threat.getAttribute('aria-sort'), 'descending');
      assert.deepEqual(await rowOrder(page), want.byThreatDown);
      /* From the keyboard, as a button. */
      await threat.locator('button').focus();
      await page.keyboard.press('Enter');
      assert.equal(await threat.getAttribute('aria-sort'), 'ascending');
      assert.deepEqual(await rowOrder(page), want.byThreatUp);
      /* Sorting another column takes aria-sort from the first. */
      await button.click();
      assert.equal(await th.getAttribute('aria-sort'), 'ascending');
      assert.equal(await threat.getAttribute('aria-sort'), null);
    }],

  ['sorting by the thwart tests orders by result', async (page, want) => {
    const {button} = header(page, 'Thwart');

    /*
     * No mitigation, then a missing test, not run, skipped, error,
     * failed, passed; ties in the document's order.
     */
    await button.click();
    assert.deepEqual(await rowOrder(page), want.byThwartUp);
    await button.click();
    assert.deepEqual(await rowOrder(page), want.byThwartDown);
  }],

  ['the text filter hides the rows without the text', async (page, want) => {
    const text = page.locator('#filter-text');
    const count = page.locator('#filter-count');

    await text.fill(want.term);
    assert.equal(await page.locator(visibleRows).count(), want.termRows);
    assert.equal(await count.textContent(),
      shownText(want.termRows, want.rows));
    await text.fill(want.twoTerms);
    assert.equal(await page.locator(visibleRows).count(),
      want.twoTermsRows);
    await text.fill(want.pairTerms);
    assert.equal(await page.locator(visibleRows).count(),
      want.pairTermsRows);
    await text.fill('no such text anywhere');
    assert.equal(await page.locator(visibleRows).count(), 0);
    assert.equal(await count.textContent(), shownText(0, want.rows));
    await text.fill('');
    assert.equal(await page.locator(visibleRows).count(), want.rows);
  }],

  ['the status filter shows only rows of that status', async (page, want) => {
    const status = page.locator('#filter-status');
    const statuses = () => page.locator(visibleRows).evaluateAll(
      (rows) => rows.map((r) => r.getAttribute('data-status')));

    for (const [name, count] of want.perStatus) {
      await status.selectOption(name);
      assert.deepEqual(await statuses(), Array(count).fill(name),
        `status ${name}`);
    }
    /* Both filters at once. */
    await page.locator('#filter-text').fill(want.term);
    for (const [name, count] of want.termAndStatus) {
      await status.selectOption(name);
      assert.deepEqual(await statuses(), Array(count).fill(name),
        `status ${name} and text ${want.term}`);
    }
    await page.locator('#filter-text').fill('');
    await status.selectOption('all');
    assert.equal(await page.locator(visibleRows).count(), want.rows);
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
    const want = expectations(doc);
    for (const [name, check] of checks) {
      try {
        await check(page, want, doc);
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
