// The explorer (/explore) as a person opens it, in headless Chromium (Debian's): Armenia
// and Russia with the bundled data. The page loads from the server alone, logs no error
// (a Content-Security-Policy violation is one), draws its charts, and shows known figures
// with their qualifiers; the first complete page comes in under 1 s (median of three cold
// loads).
// node explore.mjs http://127.0.0.1:PORT SCREENSHOT.png
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.argv[2];
const screenshot = process.argv[3] ?? 'explore.png';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const outside = [];
  const failed = [];
  const console_ = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`); });
  page.on('pageerror', (e) => failed.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console_.push(`${m.type()}: ${m.text()}`); });

  await page.goto(`${base}/explore?country=ARM&partner=RUS`, { waitUntil: 'load' });
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 20000 });
  const status = await page.textContent('#status');
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', `the page says: ${status}`);
  const readyMs = Number(await page.evaluate(() => document.body.dataset.readyMs));

  // The trade chart: a uPlot canvas with the points of 2021–2023 (exports 2021 and 2023,
  // imports 2023, balance 2023, total 2022 as stated and 2023).
  const trade = await page.$eval('#trade-chart', (c) => ({
    points: Number(c.dataset.points),
    canvas: !!c.querySelector('canvas'),
    width: c.querySelector('canvas')?.width ?? 0,
  }));
  assert.deepEqual([trade.points, trade.canvas], [6, true], 'trade chart drawn with its 6 points');
  assert.ok(trade.width > 300, `canvas ${trade.width} px wide`);
  // The partners chart of 2023: Russia, one bar each way.
  assert.equal(await page.$eval('#partners-exports', (c) => c.querySelectorAll('svg rect').length), 1);
  assert.equal(await page.$eval('#partners-imports', (c) => c.querySelectorAll('svg rect').length), 1);
  const text = await page.innerText('main');
  for (const needle of [
    'US$4 billion', // exports to Russia 2023
    'US$850 million', // exports 2021, "about"
    'US$7 billion', // total 2023, "at least"
    'US$5.3 billion', // stated total 2022
    '46.8%', // Russia's share of Armenia's exports 2023: 4,000 / 8,552
    '85%', // gas from Russia (IEA)
    'Eurasian Economic Union (EAEU)',
    'EUR 270 million',
    'Russia – Armenia 2024 Bilateral Relations: Update',
  ]) assert.ok(text.includes(needle), `the page shows ${needle}`);
  // The qualifier beside a figure: 2021 exports are "about" US$850 million.
  const row2021 = await page.$eval('#trade table.data tbody tr', (tr) => tr.innerText);
  assert.match(row2021, /US\$850 million\s+about/);
  // Keyboard: the country select is reachable by Tab and has a label.
  assert.equal(await page.$eval('label[for=country]', (l) => l.textContent), 'Country');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);
  assert.ok(['country', 'A'].includes(focused), `focus on ${focused}`);

  await page.screenshot({ path: screenshot, fullPage: true });
  assert.deepEqual(outside, [], 'the page asked for nothing outside the server');
  assert.deepEqual(failed, [], 'every request of the page succeeded');
  assert.deepEqual(console_, [], 'no console errors or warnings');

  // First load: a new browser context each time (empty cache), from navigation to the
  // complete page; the median of three, so that one slow moment of a shared machine does
  // not decide.
  const loads = [readyMs];
  for (let i = 0; i < 2; i++) {
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(`${base}/explore?country=ARM&partner=RUS`, { waitUntil: 'load' });
    await fresh.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 20000 });
    loads.push(Number(await fresh.evaluate(() => document.body.dataset.readyMs)));
    await context.close();
  }
  const median = [...loads].sort((a, b) => a - b)[1];
  // 1 s is the target; EXPLORE_FIRST_LOAD_MS raises it on a machine busy with other work
  // (measured 796 ms median on 2 cores at load average 14, debug build).
  const limit = Number(process.env.EXPLORE_FIRST_LOAD_MS ?? 1000);
  assert.ok(median < limit, `first complete page in ${loads.join(', ')} ms: median ${median} (limit ${limit})`);
  console.log(`explore: Armenia–Russia drawn (trade ${trade.points} points, partner bars), nothing fetched from outside; first load, empty cache: ${loads.join(', ')} ms (median ${median})`);
} finally {
  await browser.close();
}
