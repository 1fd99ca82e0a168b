// Numbers, qualifiers and sources as the page writes them, and a small DOM helper.

/** An element with attributes (`class`, `href`, …) and children (strings or nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

const WORDS = { EXACT: 'exact', APPROXIMATE: 'about', AT_LEAST: 'at least', AT_MOST: 'at most', ESTIMATE: 'estimate' };

/** The qualifier as a tag: "exact", "about", "at least", … ("—" without a figure). */
export function qualifier(q) {
  if (!q) return el('span', { class: 'q q-none' }, '—');
  return el('span', { class: `q q-${q.toLowerCase()}`, title: `qualifier ${q}` }, WORDS[q] ?? q);
}

const sig = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });

/** US$ amounts in words a reader says: "US$850 million", "US$4 billion", "US$28.7". */
export function usd(v) {
  if (v === null || v === undefined) return '—';
  const sign = v < 0 ? '−' : '';
  const a = Math.abs(v);
  if (a >= 1e9) return `${sign}US$${sig.format(a / 1e9)} billion`;
  if (a >= 1e6) return `${sign}US$${sig.format(a / 1e6)} million`;
  return `${sign}US$${sig.format(a)}`;
}

/** An amount in another currency, as announced: "EUR 270 million". */
export function money(v, currency) {
  return currency === 'USD' ? usd(v) : usd(v).replace('US$', `${currency} `);
}

/** Counts: "3,033,500". */
export const count = (v) => (v === null || v === undefined ? '—' : Math.round(v).toLocaleString('en'));

/** Fractions as percentages: 0.4677 → "46.8%". */
export function pct(v) {
  return v === null || v === undefined ? '—' : `${sig.format(v * 100)}%`;
}

/** A value with its qualifier tag after it. */
export function figure(text, q) {
  return el('span', { class: 'figure' }, el('span', { class: 'v' }, text), ' ', qualifier(text === '—' ? null : q));
}

/** A source: its title, linked when it has a URL, with publisher and year. */
export function source(s) {
  if (!s) return el('span', { class: 'src none' }, 'no source');
  const title = s.url ? el('a', { href: s.url, rel: 'noreferrer' }, s.title) : el('cite', {}, s.title);
  const by = [s.publisher, s.year].filter(Boolean).join(', ');
  return el('span', { class: 'src' }, title, by ? ` (${by})` : '');
}

/** Several sources, each once (by title and URL). */
export function sources(list) {
  const seen = new Map();
  for (const s of list) if (s) seen.set(`${s.title}|${s.url}`, s);
  if (seen.size === 0) return el('span', { class: 'src none' }, 'no source');
  const items = [...seen.values()].map((s) => el('li', {}, source(s)));
  return el('ul', { class: 'srcs' }, items);
}

/** A table from a header row and rows of cells. */
export function table(caption, head, rows) {
  return el(
    'table',
    { class: 'data' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', {}, c)))))),
  );
}

/** A paragraph saying there is nothing to show. */
export const empty = (text) => el('p', { class: 'empty' }, text);
