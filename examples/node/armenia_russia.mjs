// The main figures of the seed document ("Russia – Armenia 2024 Bilateral Relations:
// Update", Russia Briefing) as the API serves them, with graphql-request: each printed with
// its qualifier and source, and checked against what the document states.
// Run against a live server: node armenia_russia.mjs http://127.0.0.1:8080/graphql
// .ci/outside-checks runs it; it exits non-zero when a figure differs.
import assert from 'node:assert/strict';
import { GraphQLClient, gql } from 'graphql-request';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/graphql';
const client = new GraphQLClient(url);

const QUERY = gql`
  query SeedFigures($country: String!, $partner: String!) {
    country(code: $country) {
      name
      tradeWith(partner: $partner) {
        year exportsUsd exportsUsdQualifier importsUsd importsUsdQualifier
        totalTradeUsd totalTradeUsdQualifier totalTradeStated
      }
      statedTradeTotals(partner: $partner) { year valueUsd qualifier source { ...S } }
      statedPartnerShares { partnerCode partnerName flow share qualifier source { ...S } }
      importDependencies { supplier { iso3 } sector product year share qualifier source { ...S } }
      aidReceived { donorCode amount currency amountUsd amountUsdQualifier referenceYear
                    announcedOn periodStartYear periodEndYear qualifier source { ...S } }
      remittances: indicatorValue(code: "REMITTANCES_USD", year: 2023) { value qualifier source { ...S } }
      memberships(asOf: "2024-08-23") { organization { code } status source { ...S } }
    }
    flows: tradeFlows(reporter: $country, partner: $partner, commodity: "TOTAL") {
      nodes { year flow valueUsd qualifier source { ...S } }
    }
    machinery: tradeFlows(reporter: $country, partner: "W00", commodity: "XVI", flow: EXPORT) {
      nodes { year valueUsd qualifier source { ...S } }
    }
    geo: country(code: "GEO") { aidReceived(fromYear: 2023, toYear: 2023) { donorCode amountUsd qualifier source { ...S } } }
    mda: country(code: "MDA") { aidReceived(fromYear: 2023, toYear: 2023) { donorCode amountUsd qualifier source { ...S } } }
    ukr: country(code: "UKR") { aidReceived(fromYear: 2023, toYear: 2023) { donorCode amountUsd qualifier source { ...S } } }
  }
  fragment S on Source { title publisher year url }
`;

const WORD = { EXACT: '', APPROXIMATE: 'about ', AT_LEAST: 'over ', AT_MOST: 'at most ', ESTIMATE: 'an estimated ' };
const usd = (v) => (v >= 1e9 ? `US$${+(v / 1e9).toFixed(2)} billion` : `US$${+(v / 1e6).toFixed(1)} million`);
const pct = (v) => `${+(v * 100).toFixed(1)}%`;
const cite = (s) => (s ? `${s.title} (${s.publisher}${s.year ? `, ${s.year}` : ''})${s.url ? ` <${s.url}>` : ''}` : 'no source');
const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b), `${what}: ${a} ≠ ${b}`);
let checked = 0;

/** Prints one figure and checks its value and qualifier against the document. */
function check(what, got, text, expected, qualifier) {
  assert.ok(got, `${what}: not served`);
  const value = got.value ?? got.valueUsd ?? got.share ?? got.amountUsd;
  close(value, expected, what);
  assert.equal(got.qualifier, qualifier, `${what}: qualifier`);
  console.log(`${what}: ${WORD[qualifier]}${text(value)} — ${cite(got.source)}`);
  checked += 1;
}

const data = await client.request(QUERY, { country: 'ARM', partner: 'RUS' });
const c = data.country;
const DOC = 'Russia – Armenia 2024 Bilateral Relations: Update';

// Trade: "Armenian exports have grown from about US$850 million to US$4 billion",
// "imports from Russia grew to reach over US$3 billion", "trade ... reached a record figure
// of over US$7 billion, up from US$5.3 billion in 2022".
const flow = (year, kind) => data.flows.nodes.find((f) => f.year === year && f.flow === kind);
check('Armenia → Russia exports 2021', flow(2021, 'EXPORT'), usd, 850e6, 'APPROXIMATE');
check('Armenia → Russia exports 2023', flow(2023, 'EXPORT'), usd, 4e9, 'EXACT');
check('Armenia ← Russia imports 2023', flow(2023, 'IMPORT'), usd, 3e9, 'AT_LEAST');
check('Armenia–Russia trade 2022 (stated total)', c.statedTradeTotals.find((t) => t.year === 2022), usd, 5.3e9, 'EXACT');
const y2023 = c.tradeWith.find((r) => r.year === 2023);
check('Armenia–Russia trade 2023 (exports + imports)', { value: y2023.totalTradeUsd, qualifier: y2023.totalTradeUsdQualifier, source: flow(2023, 'IMPORT').source }, usd, 7e9, 'AT_LEAST');
assert.equal(y2023.totalTradeStated, false);
const mach = (year) => data.machinery.nodes.find((f) => f.year === year);
check('Machinery and electronics exports 2021 (HS XVI)', mach(2021), usd, 60e6, 'APPROXIMATE');
check('Machinery and electronics exports 2023 (HS XVI)', mach(2023), usd, 1e9, 'EXACT');

// Shares, "according to Trend Economy".
const share = (code, kind) => c.statedPartnerShares.find((s) => s.partnerCode === code && s.flow === kind);
for (const [code, kind, expected, qualifier] of [
  ['RUS', 'EXPORT', 0.40, 'EXACT'], ['RUS', 'IMPORT', 0.32, 'EXACT'], ['EU', 'EXPORT', 0.06, 'AT_LEAST'],
  ['EU', 'IMPORT', 0.09, 'EXACT'], ['USA', 'IMPORT', 0.05, 'APPROXIMATE'],
]) {
  const s = share(code, kind);
  check(`${s?.partnerName}'s share of Armenia's ${kind.toLowerCase()}s`, s, pct, expected, qualifier);
  assert.match(s.source.publisher, /Trend ?Economy/);
}

// Dependencies: the World Bank (2024) and the IEA (2022).
const dep = (needle) => c.importDependencies.find((d) => d.product.includes(needle));
for (const [needle, expected, qualifier, publisher] of [
  ['Wheat', 0.98, 'EXACT', 'World Bank'], ['Agrifood', 0.35, 'AT_MOST', 'World Bank'],
  ['Poultry', 0.39, 'EXACT', 'World Bank'], ['Bread', 0.50, 'AT_LEAST', 'World Bank'],
  ['Fertili', 0.38, 'EXACT', 'World Bank'], ['gas', 0.85, 'EXACT', 'International Energy Agency'],
  ['Electricity', 0.70, 'AT_MOST', 'International Energy Agency'],
]) {
  const d = dep(needle);
  check(`Russia's share of Armenia's ${d?.product}`, d, pct, expected, qualifier);
  assert.equal(d.supplier.iso3, 'RUS');
  assert.ok(d.source.publisher.includes(publisher), d.source.publisher);
}
assert.equal(c.importDependencies.length, 7);

// Aid: "the EU promised an additional €270 million over four years, and the United States
// US$65 million"; "In 2023 ... the United States provided US$87 million to Armenia, US$135
// million to Georgia, US$265 million to Moldova, and a massive US$17 billion to Ukraine".
const eu = c.aidReceived.find((a) => a.donorCode === 'EU');
assert.deepEqual([eu.amount, eu.currency, eu.periodStartYear, eu.periodEndYear, eu.announcedOn], [270e6, 'EUR', 2024, 2027, '2024-04-05']);
// In US$ at 2024's yearly average rate (WDI: 0.923889546117607 EUR per US$).
check('EU pledge 2024 (EUR 270 million), in US$', { ...eu, value: eu.amountUsd }, usd, 270e6 / 0.923889546117607, 'EXACT');
const us = (year) => c.aidReceived.find((a) => a.donorCode === 'USA' && a.referenceYear === year);
check('US pledge 2024', { ...us(2024), value: us(2024).amountUsd }, usd, 65e6, 'EXACT');
for (const [name, rows, expected] of [['Armenia', [us(2023)], 87e6], ['Georgia', data.geo.aidReceived, 135e6],
  ['Moldova', data.mda.aidReceived, 265e6], ['Ukraine', data.ukr.aidReceived, 17e9]]) {
  assert.equal(rows.length, 1, name);
  check(`US aid to ${name} 2023`, { ...rows[0], value: rows[0].amountUsd }, usd, expected, 'EXACT');
  assert.equal(rows[0].source.title, DOC);
}

// Remittances: "overseas remittances (US$5.7 billion in 2023)".
check('Remittances to Armenia 2023', c.remittances, usd, 5.7e9, 'EXACT');

// Memberships on the day of the Putin–Pashinyan call (2024-08-23).
const status = (code) => c.memberships.find((m) => m.organization.code === code)?.status;
assert.deepEqual(['CIS', 'EAEU', 'CSTO'].map(status), ['MEMBER', 'MEMBER', 'SUSPENDED']);
console.log('Memberships on 2024-08-23: CIS member, EAEU member, CSTO suspended');

assert.ok(checked >= 25);
console.log(`graphql-request: ${checked} figures of the seed document, each with its qualifier and source, as the document states them`);
