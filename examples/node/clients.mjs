// tradegraph from Node.js with graphql-request, urql and Apollo Client, no configuration
// beyond the URL. Run against a live server: node clients.mjs http://127.0.0.1:8080/graphql
// Each part asserts what it got, so .ci/run uses this file as a test.
import assert from 'node:assert/strict';
import { GraphQLClient } from 'graphql-request';
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';

const url = process.argv[2] ?? 'http://127.0.0.1:8080/graphql';

// graphql-request: Armenia's trade with Russia, one row per year.
const request = new GraphQLClient(url);
const trade = await request.request(`{
  country(code: "ARM") {
    name
    tradeWith(partner: "RUS", fromYear: 2021, toYear: 2023) {
      year exportsUsd importsUsd totalTradeUsd totalTradeUsdQualifier totalTradeStated
    }
  }
}`);
assert.equal(trade.country.name, 'Armenia');
assert.deepEqual(trade.country.tradeWith.map((r) => r.year), [2021, 2022, 2023]);
for (const r of trade.country.tradeWith) {
  // Exports + imports when both are stated; else the total a source states, or null.
  if (r.exportsUsd !== null && r.importsUsd !== null) {
    assert.equal(r.totalTradeUsd, r.exportsUsd + r.importsUsd);
    assert.equal(r.totalTradeStated, false);
  } else {
    assert.equal(r.totalTradeStated, r.totalTradeUsd !== null);
  }
}
const [y2021, y2022, y2023] = trade.country.tradeWith;
assert.equal(y2021.totalTradeUsd, null);
assert.deepEqual([y2022.totalTradeUsd, y2022.totalTradeStated], [5.3e9, true]);
assert.deepEqual([y2023.totalTradeUsd, y2023.totalTradeUsdQualifier], [7e9, 'AT_LEAST']);
// A field error reaches the client as an error, not as a missing field.
await assert.rejects(
  request.request('{ country(code: "ARM") { tradeWith(partner: "XXX") { year } } }'),
  (e) => e.response.errors[0].extensions.code === 'BAD_USER_INPUT' && e.response.data.country === null,
);
console.log('graphql-request: ARM–RUS', trade.country.tradeWith.map((r) => `${r.year}: ${r.exportsUsd}`).join(', '));

// urql: page through every country with cursors, to the end.
const urql = new Client({ url, exchanges: [cacheExchange, fetchExchange] });
const COUNTRIES = `query($after: String) {
  countries(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { iso3 } }
}`;
let after = null;
let pages = 0;
const seen = [];
let total;
for (;;) {
  const { data, error } = await urql.query(COUNTRIES, { after }).toPromise();
  assert.equal(error, undefined, String(error));
  total = data.countries.totalCount;
  seen.push(...data.countries.nodes.map((n) => n.iso3));
  pages += 1;
  if (!data.countries.pageInfo.hasNextPage) break;
  after = data.countries.pageInfo.endCursor;
}
assert.equal(seen.length, total);
assert.equal(new Set(seen).size, total, 'no country twice');
assert.deepEqual([...seen].sort(), seen, 'in code order');
console.log(`urql: ${total} countries in ${pages} pages`);

// Apollo Client: InMemoryCache normalises by __typename and id, with no keyFields.
const apollo = new ApolloClient({ link: new HttpLink({ uri: url }), cache: new InMemoryCache() });
const { data } = await apollo.query({
  query: gql`{ country(code: "ARM") { id iso3 name memberships { id status organization { id code } } } }`,
});
const cache = apollo.cache.extract();
const key = `Country:${data.country.id}`;
assert.equal(cache[key]?.name, 'Armenia', `normalised entry ${key}`);
assert.deepEqual(cache.ROOT_QUERY['country({"code":"ARM"})'], { __ref: key });
const orgs = Object.keys(cache).filter((k) => k.startsWith('Organization:'));
assert.ok(orgs.length > 0, 'organisations normalised too');
// The same country reached another way lands on the same entry.
await apollo.query({ query: gql`{ countries(first: 20, region: "Asia") { nodes { id name } } }` });
assert.equal(Object.keys(apollo.cache.extract()).filter((k) => k === key).length, 1);
console.log(`Apollo Client: ${key} normalised, ${orgs.length} organisations`);
