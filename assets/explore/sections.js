// One function per section of the page: each takes the data of its query and fills its
// section. Every figure is written with its qualifier; every row names its source.
import { lineChart, barChart } from './charts.js';
import { el, usd, money, count, pct, figure, source, sources, table, empty } from './format.js';

const body = (id) => document.querySelector(`#${id} .body`);

/** Name, region, memberships over time, latest population and GDP. */
export function profile(c) {
  const latest = (code) => c.indicators.find((s) => s.code === code)?.values.at(-1);
  const pop = latest('POPULATION');
  const gdp = latest('GDP_USD');
  const facts = el(
    'dl',
    { class: 'facts' },
    el('dt', {}, 'Country'), el('dd', {}, `${c.name} (${c.iso3})`, c.officialName ? ` — ${c.officialName}` : ''),
    el('dt', {}, 'Region'), el('dd', {}, [c.region, c.subregion].filter(Boolean).join(' · ') || '—', c.landlocked ? ' · landlocked' : ''),
    el('dt', {}, `Population${pop ? ` ${pop.year}` : ''}`),
    el('dd', {}, pop ? [figure(count(pop.value), pop.qualifier), ' ', source(pop.source)] : '—'),
    el('dt', {}, `GDP${gdp ? ` ${gdp.year}` : ''}`),
    el('dd', {}, gdp ? [figure(usd(gdp.value), gdp.qualifier), ' ', source(gdp.source)] : '—'),
  );
  const rows = [...c.memberships]
    .sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''))
    .map((m) => [
      `${m.organization.name} (${m.organization.code})`,
      m.status.toLowerCase(),
      m.since ?? '—',
      m.until ?? 'in force',
      source(m.source),
    ]);
  const memberships = rows.length
    ? table('Memberships over time (every period recorded)', ['Organisation', 'Status', 'Since', 'Until', 'Source'], rows)
    : empty('No memberships recorded.');
  body('profile').replaceChildren(facts, memberships);
}

/** Trade with the partner by year: chart of exports, imports and balance; table. */
export function trade(data, country, partner) {
  const rows = data.country.tradeWith;
  const target = body('trade');
  if (!rows.length) {
    target.replaceChildren(empty(`No trade between ${country.name} and ${partner.name} is stored.`));
    return;
  }
  const years = rows.map((r) => r.year);
  const chart = el('div', { class: 'chart', id: 'trade-chart' });
  target.replaceChildren(chart);
  lineChart(chart, years, [
    { label: 'Exports', values: rows.map((r) => r.exportsUsd), stroke: '#1f6fb2' },
    { label: 'Imports', values: rows.map((r) => r.importsUsd), stroke: '#c0392b' },
    { label: 'Balance', values: rows.map((r) => r.balanceUsd), stroke: '#2e7d32' },
    // The total also where a source states only the total (no split, no balance).
    { label: 'Total', values: rows.map((r) => r.totalTradeUsd), stroke: '#6a4c93', dash: [6, 4] },
  ], `${country.name} ↔ ${partner.name}, US$ per year`);
  // The stored figures behind each year: the flows, a total stated without its split, and
  // the world totals the shares divide by.
  const srcOf = (year) => [
    ...data.tradeFlows.nodes.filter((f) => f.year === year).map((f) => f.source),
    ...data.country.statedTradeTotals.filter((t) => t.year === year).map((t) => t.source),
    ...data.world.nodes.filter((f) => f.year === year).map((f) => f.source),
  ];
  const cells = rows.map((r) => [
    String(r.year),
    figure(usd(r.exportsUsd), r.exportsUsdQualifier),
    figure(usd(r.importsUsd), r.importsUsdQualifier),
    [figure(usd(r.totalTradeUsd), r.totalTradeUsdQualifier), r.totalTradeStated ? el('small', {}, ' stated total') : ''],
    figure(usd(r.balanceUsd), r.balanceUsdQualifier),
    figure(pct(r.totalTradeGrowth), r.totalTradeGrowthQualifier),
    figure(pct(r.exportShare), r.exportShareQualifier),
    figure(pct(r.importShare), r.importShareQualifier),
    sources(srcOf(r.year)),
  ]);
  target.append(table(
    `${country.name}'s trade with ${partner.name} (exports and imports as ${country.name} reports them; shares of its world totals)`,
    ['Year', 'Exports', 'Imports', 'Total', 'Balance', 'Growth', 'Share of exports', 'Share of imports', 'Sources'],
    cells,
  ));
}

/** Top partners of the year, both directions, and the shares sources state. */
export function partners(data, flows, country, year) {
  const target = body('partners');
  target.replaceChildren();
  const src = (iso3, flow) => flows.find((f) => f.partner.iso3 === iso3 && f.flow === flow)?.source;
  for (const [key, flow] of [['exports', 'EXPORT'], ['imports', 'IMPORT']]) {
    const ranked = data.country[key].filter((p) => p.year === year);
    if (!ranked.length) {
      target.append(empty(year === null ? `No ${key} by partner are stored.` : `No ${key} by partner are stored for ${year}.`));
      continue;
    }
    const chart = el('div', { class: 'chart bars', id: `partners-${key}` });
    target.append(chart);
    barChart(chart, ranked.map((p) => ({ label: p.partner.name, value: p.valueUsd, share: p.share })), `${country.name}'s ${key} by partner, ${year}: share of its world total`);
    target.append(table(
      `Top partners, ${key} ${year}`,
      ['Rank', 'Partner', 'Value', 'Share of world total', 'Source'],
      ranked.map((p) => [String(p.rank), p.partner.name, figure(usd(p.valueUsd), p.valueUsdQualifier), figure(pct(p.share), p.shareQualifier), source(src(p.partner.iso3, flow))]),
    ));
  }
  const stated = data.country.statedPartnerShares;
  if (stated.length) {
    target.append(table(
      'Partner shares as sources state them',
      ['Partner', 'Direction', 'Year', 'Share', 'Source'],
      stated.map((s) => [s.partnerName, s.flow.toLowerCase(), s.year ?? 'not given', figure(pct(s.share), s.qualifier), source(s.source)]),
    ));
  }
}

/** Exports by HS chapter in the year, and every export to the world stored by code. */
export function commodities(data, country, year) {
  const target = body('commodities');
  target.replaceChildren();
  const chapters = data.country.tradeByCommodity;
  const stored = data.tradeFlows.nodes.filter((f) => f.commodity !== 'TOTAL');
  const srcOf = (code) => stored.find((f) => f.commodity === code)?.source;
  if (chapters.length) {
    const chart = el('div', { class: 'chart bars', id: 'commodities-chart' });
    target.append(chart);
    barChart(chart, chapters.map((c) => ({ label: `${c.commodity} ${c.name}`.slice(0, 28), value: c.valueUsd, share: c.share })), `${country.name}'s exports by HS chapter, ${year}: share of all exports`);
    target.append(table(
      `Exports by HS chapter, ${year}`,
      ['Rank', 'Chapter', 'Value', 'Share', 'Source'],
      chapters.map((c) => [String(c.rank), `${c.commodity} ${c.name}`, figure(usd(c.valueUsd), c.valueUsdQualifier), figure(pct(c.share), c.shareQualifier), source(srcOf(c.commodity))]),
    ));
  } else {
    target.append(empty(year === null ? 'No exports by HS chapter are stored.' : `No exports by HS chapter are stored for ${year}.`));
  }
  if (stored.length) {
    target.append(table(
      `Every export to the world stored by commodity, ${year} (chapters, sections, headings)`,
      ['Code', 'Commodity', 'Value', 'Source'],
      stored.map((f) => [f.commodity, f.commodityName ?? '', figure(usd(f.valueUsd), f.qualifier), source(f.source)]),
    ));
  }
}

/** Stated dependencies next to the shares computed from the flows. */
export function dependencies(data) {
  const rows = data.country.dependencyComparison;
  const target = body('dependencies');
  if (!rows.length) {
    target.replaceChildren(empty('No import dependencies are stated for this country.'));
    return;
  }
  target.replaceChildren(table(
    'Stated share of one supplier, and the same share computed from the trade flows of its HS codes',
    ['Product', 'Sector', 'Supplier', 'Year', 'Stated share', 'Stated by', 'HS codes', 'Computed share', 'Difference', 'Computed from'],
    rows.map((d) => [
      d.stated.product,
      d.stated.sector.toLowerCase().replaceAll('_', ' '),
      d.stated.supplier.name,
      d.stated.year ?? 'not given',
      figure(pct(d.statedShare), d.stated.qualifier),
      source(d.stated.source),
      d.hsCodes.length ? `${d.hsCodes.join(', ')} (${d.codesWithData} with flows)` : 'no HS mapping',
      d.computedShare === null ? el('span', { class: 'empty' }, 'no flows stored') : pct(d.computedShare),
      d.difference === null ? '—' : pct(d.difference),
      d.computedShare === null ? '—' : sources(d.computedSources),
    ]),
  ));
}

/** Aid received, as announced and in US$. */
export function aid(data) {
  const rows = data.country.aidReceived;
  const target = body('aid');
  if (!rows.length) {
    target.replaceChildren(empty('No aid received is stored for this country.'));
    return;
  }
  const period = (a) => (a.periodStartYear ? `${a.periodStartYear}–${a.periodEndYear}` : a.referenceYear ?? '—');
  target.replaceChildren(table(
    'Aid received: amount as announced, in US$ at the announcement year\'s rate, per year of its period and per inhabitant',
    ['Donor', 'Kind', 'As announced', 'US$', 'US$ a year', 'US$ per inhabitant', 'Announced', 'Period', 'Source'],
    rows.map((a) => [
      a.donorName,
      a.kind.toLowerCase(),
      figure(money(a.amount, a.currency), a.qualifier),
      figure(usd(a.amountUsd), a.amountUsdQualifier),
      figure(usd(a.annualAmountUsd), a.annualAmountUsdQualifier),
      figure(a.perCapitaUsd === null ? '—' : `US$${a.perCapitaUsd.toFixed(2)}`, a.perCapitaUsdQualifier),
      a.announcedOn ?? '—',
      period(a),
      source(a.source),
    ]),
  ));
}
