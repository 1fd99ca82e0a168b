// The explorer: reads the country and partner from the address (?country=ARM&partner=RUS),
// asks the API (queries/*.graphql) and fills the sections. `document.body.dataset.state`
// is `loading`, `ready` or `error`; `data-ready-ms` is the time from navigation to the
// first complete page, which the browser check reads.
import { query, prefetch } from './api.js';
import * as sections from './sections.js';
import { el } from './format.js';

const $ = (id) => document.getElementById(id);
const FIRST_YEAR = 1988; // HS starts in 1988: no ranking can be earlier.
let current = null;

function wanted() {
  const u = new URL(window.location.href);
  const code = (k, d) => (u.searchParams.get(k) || d).trim().toUpperCase();
  return { country: code('country', 'ARM'), partner: code('partner', 'RUS') };
}

function say(text, state) {
  $('status').textContent = text;
  document.body.dataset.state = state;
}

/** Every country but the aggregates (the World), by ISO alpha-3 code. */
const countries = query('countries').then((data) => {
  const byIso = new Map();
  for (const c of data.countries.nodes) if (!c.isAggregate) byIso.set(c.iso3, c);
  return byIso;
});

function fill(select, known, chosen) {
  select.replaceChildren(...[...known.values()].map((c) => el('option', { value: c.iso3 }, c.name)));
  select.value = chosen;
}

/** The five queries of a country and partner. */
function ask({ country, partner }) {
  const v = { country };
  const answers = [
    query('profile', { ...v, fromYear: 2000 }),
    query('trade', { ...v, partner }),
    query('partners', { ...v, fromYear: FIRST_YEAR, toYear: new Date().getFullYear() }),
    query('dependencies', v),
    query('aid', v),
  ];
  answers.forEach((p) => p.catch(() => {})); // awaited (and reported) by `show`
  return answers;
}

/** The years with a ranking of partners, ascending. */
const rankedYears = (rankings) => [...new Set([...rankings.country.exports, ...rankings.country.imports].map((p) => p.year))].sort();

/** Asks for the partners' flows and the products of one year (the rankings name the partners). */
function askYear(country, rankings, year) {
  const names = [...new Set([...rankings.country.exports, ...rankings.country.imports]
    .filter((p) => p.year === year).map((p) => p.partner.iso3))];
  return Promise.all([
    names.length ? query('partner-flows', { country: country.iso3, partners: names, year }) : { tradeFlows: { nodes: [] } },
    query('commodities', { country: country.iso3, year }),
  ]);
}

/** Fills the partners and products of one year. */
async function showYear(country, rankings, year, asked = askYear(country, rankings, year)) {
  const [flows, goods] = await asked;
  sections.partners(rankings, flows.tradeFlows.nodes, country, year);
  sections.commodities(goods, country, year);
}

/** Fills the page for `want`, with its queries' answers when they are already asked for. */
async function show(want, answers = ask(want)) {
  const known = await countries;
  const country = known.get(want.country);
  const partner = known.get(want.partner);
  fill($('country'), known, country?.iso3 ?? '');
  fill($('partner'), known, partner?.iso3 ?? '');
  if (!country || !partner) {
    say(`Unknown country code ${country ? want.partner : want.country}; choose one from the list.`, 'error');
    return;
  }
  say(`Loading ${country.name} and ${partner.name}…`, 'loading');
  // The year's queries go out as soon as the rankings are in, before anything is drawn.
  const latest = answers[2].then((rankings) => {
    const year = rankedYears(rankings).at(-1);
    return year === undefined ? null : { year, asked: askYear(country, rankings, year) };
  });
  latest.catch(() => {});
  const [profile, trade, rankings, deps, aid] = await Promise.all(answers);
  sections.profile(profile.country);
  sections.trade(trade, country, partner);
  sections.dependencies(deps);
  sections.aid(aid);
  const years = rankedYears(rankings);
  $('year').replaceChildren(...years.map((y) => el('option', { value: y }, y)));
  $('year-pick').hidden = years.length === 0;
  current = { country, rankings };
  const first = await latest;
  if (first) {
    $('year').value = String(first.year);
    await showYear(country, rankings, first.year, first.asked);
  } else {
    sections.partners(rankings, [], country, null);
    sections.commodities({ country: { tradeByCommodity: [] }, tradeFlows: { nodes: [] } }, country, null);
  }
  say(`${country.name}: trade with ${partner.name}, partners, products, dependencies and aid.`, 'ready');
}

function failed(e) {
  say(`Could not load the data: ${e.message}`, 'error');
  console.error(e);
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

// The first view's queries go out together with the country list's, and the texts of the
// year's queries are asked for at once: two round trips to a complete page.
prefetch(['commodities', 'partner-flows']);
show(wanted())
  .then(() => { document.body.dataset.readyMs = String(Math.round(performance.now())); })
  .catch(failed);
