// The page's only way to the data: the public GraphQL endpoint, with the queries in
// explore/queries/*.graphql (readable files, fetched once each).
const texts = new Map();

async function text(name) {
  if (!texts.has(name)) {
    texts.set(name, fetch(`explore/queries/${name}.graphql`).then((r) => {
      if (!r.ok) throw new Error(`query ${name}: HTTP ${r.status}`);
      return r.text();
    }));
  }
  return texts.get(name);
}

/** Asks for the texts of these queries now, so that they are there when they are run. */
export function prefetch(names) {
  for (const name of names) text(name).catch(() => {});
}

/** Runs the query in queries/NAME.graphql; its data, or an Error with the API's message. */
export async function query(name, variables = {}) {
  const resp = await fetch('graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: await text(name), variables }),
  });
  const body = await resp.json().catch(() => null);
  if (body?.errors?.length) {
    const e = body.errors[0];
    throw new Error(`${name}: ${e.message} (${e.extensions?.code ?? resp.status})`);
  }
  if (!resp.ok || !body?.data) throw new Error(`${name}: HTTP ${resp.status}`);
  return body.data;
}
