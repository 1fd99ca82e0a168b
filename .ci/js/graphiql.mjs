// GraphiQL as a person uses it, in headless Chromium (Debian's): the page loads from the
// server alone, a query typed into the editor runs, its result shows.
// node graphiql.mjs http://127.0.0.1:PORT SCREENSHOT.png
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.argv[2];
const screenshot = process.argv[3] ?? 'graphiql.png';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const outside = [];
  const failed = [];
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) outside.push(r.url()); });
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('pageerror', (e) => failed.push(`page error: ${e.message}`));
  await page.goto(`${base}/graphql`, { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20000 });
  // Type the query (the editor closes brackets and quotes itself, and types over them).
  const query = '{ country(code: "ARM") { name iso3 } }';
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(query);
  const typed = await page.evaluate(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue());
  assert.equal(typed.replace(/\s+/g, ' ').trim(), query, 'the editor holds what was typed');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    () => document.querySelector('.graphiql-response')?.innerText.includes('"iso3": "ARM"'),
    null,
    { timeout: 20000 },
  );
  const result = await page.evaluate(() => document.querySelector('.graphiql-response').innerText);
  assert.match(result, /"name": "Armenia"/);
  await page.screenshot({ path: screenshot });
  assert.deepEqual(outside, [], 'the page asked for nothing outside the server');
  assert.deepEqual(failed, [], 'every request of the page succeeded');
  console.log('GraphiQL: typed query answered in the browser, nothing fetched from outside');
} finally {
  await browser.close();
}
