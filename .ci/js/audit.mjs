// The GraphQL over HTTP conformance audit of npm graphql-http against a live server:
// node audit.mjs http://127.0.0.1:PORT/graphql — fails on any error or warning.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
const count = (status) => results.filter((r) => r.status === status).length;
for (const r of results.filter((r) => r.status !== 'ok')) {
  console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}: ${r.reason}`);
}
console.log(`graphql-http audit: ${count('ok')} ok, ${count('warn')} warn, ${count('error')} error`);
process.exit(count('warn') + count('error') === 0 ? 0 : 1);
