// The explorer: reads the country and partner from the address (?country=ARM&partner=RUS),
// asks the API (queries/*.graphql) and fills the sections. `document.body.dataset.state`
// is `loading`, `ready` or `error`; `data-ready-ms` is the time from navigation to the
// first complete page, which the browser check reads.
import { query } from './api.js';
import * as sections from './sections.js';
import { el } from './format.js';

const $ = (id) => document.getElementById(id);
const byIso = new Map();
const FIRST_YEAR = 1988; // HS starts in 1988: no ranking can be earlier.
let current = null;

function wanted() {
  const u = new URL(window.location.href);
  const code = (k, d) => (u.searchParams.get(k) || d).trim().toUpperCase();
  return { country: code('country', 'ARM'), partner: code('partner', 'RUS') };
}

function fill(select, chosen) {
  const options = [...byIso.values()].map((c) => el('option', { value: c.iso3 }, c.name));
  select.replaceChildren(...options);
  select.value = chosen;
}

function say(text, state) {
  $('status').textContent = text;
  document.body.dataset.state = state;
}

async function showYear(country, rankings, year) {
  const names = [...new Set([...rankings.country.exports, ...rankings.country.imports]
    .filter((p) => p.year === year).map((p) => p.partner.iso3))];
  const [flows, goods] = await Promise.all([
    names.length ? query('partner-flows', { country: country.iso3, partners: names, year }) : { tradeFlows: { nodes: [] } },
    query('commodities', { country: country.iso3, year }),
  ]);
  sections.partners(rankings, flows.tradeFlows.nodes, country, year);
  sections.commodities(goods, country, year);
}

async function show({ country: code, partner: pcode }) {
  const country = byIso.get(code);
  const partner = byIso.get(pcode);
  if (!country || !partner) {
    say(`Unknown country code ${country ? pcode : code}; choose one from the list.`, 'error');
    return;
  }
  fill($('country'), country.iso3);
  fill($('partner'), partner.iso3);
  say(`Loading ${country.name} and ${partner.name}…`, 'loading');
  const thisYear = new Date().getFullYear();
  const v = { country: country.iso3 };
  const [profile, trade, rankings, deps, aid] = await Promise.all([
    query('profile', { ...v, fromYear: 2000 }),
    query('trade', { ...v, partner: partner.iso3 }),
    query('partners', { ...v, fromYear: FIRST_YEAR, toYear: thisYear }),
    query('dependencies', v),
    query('aid', v),
  ]);
  sections.profile(profile.country);
  sections.trade(trade, country, partner);
  sections.dependencies(deps);
  sections.aid(aid);
  const years = [...new Set([...rankings.country.exports, ...rankings.country.imports].map((p) => p.year))].sort();
  const select = $('year');
  select.replaceChildren(...years.map((y) => el('option', { value: y }, y)));
  $('year-pick').hidden = years.length === 0;
  current = { country, rankings };
  if (years.length) {
    select.value = String(years.at(-1));
    await showYear(country, rankings, years.at(-1));
  } else {
    sections.partners(rankings, [], country, null);
    document.querySelector('#commodities .body').replaceChildren(el('p', { class: 'empty' }, 'No exports by partner or product are stored.'));
  }
  say(`${country.name}: trade with ${partner.name}, partners, products, dependencies and aid.`, 'ready');
}

function failed(e) {
  say(`Could not load the data: ${e.message}`, 'error');
  console.error(e);
}

async function start() {
  const data = await query('countries');
  for (const c of data.countries.nodes) if (!c.isAggregate) byIso.set(c.iso3, c);
  await show(wanted());
  if (!document.body.dataset.readyMs) document.body.dataset.readyMs = String(Math.round(performance.now()));
}

$('pick').addEventListener('submit', (event) => {
  event.preventDefault();
  const next = { country: $('country').value, partner: $('partner').value };
  window.history.pushState(null, '', `?country=${next.country}&partner=${next.partner}`);
  show(next).catch(failed);
});
$('year').addEventListener('change', () => {
  if (current) showYear(current.country, current.rankings, Number($('year').value)).catch(failed);
});
window.addEventListener('popstate', () => show(wanted()).catch(failed));
start().catch(failed);
