// The router benchmark's four federation subgraphs (accounts, reviews, products, inventory),
// shaped like the public graphql-gateways-benchmark, served by one small Node process so that
// the gateway under test, not the subgraphs, is the bottleneck.
//
//   node subgraphs.mjs --port PORT --supergraph OUT
//
// composes the supergraph with @apollo/composition (routing URLs http://127.0.0.1:PORT/<name>),
// writes it to OUT, then serves POST /<name>. Every answer is a real graphql-js execution of the
// subgraph schema (built by @apollo/subgraph, so `_entities` and `_service` work); answers are
// memoized by the exact request body, so the hot path is a Map lookup and a write.
import { createServer } from "node:http";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parse, graphql } from "graphql";
import { buildSubgraphSchema } from "@apollo/subgraph";
import { composeServices } from "@apollo/composition";

const { values: args } = parseArgs({
  options: { port: { type: "string" }, supergraph: { type: "string" } },
});
const port = Number(args.port);

// ------------------------------------------------------------------ synthetic data
const USERS = 5;
const PRODUCTS = 5;
const users = Array.from({ length: USERS }, (_, i) => ({
  id: String(i + 1),
  name: `Synthetic User ${i + 1}`,
  username: `user${i + 1}`,
  birthday: 1980 + i,
}));
const products = Array.from({ length: PRODUCTS }, (_, i) => ({
  upc: String(i + 1),
  name: `Product ${i + 1}`,
  price: 100 + 25 * i,
  weight: 10 + 5 * i,
}));
// every user writes two reviews, so every product gets two (users i and i+2, mod 5)
const reviews = [];
for (const user of users) {
  for (let k = 0; k < 2; k += 1) {
    const index = Number(user.id) - 1;
    const product = products[(index + 3 * k) % PRODUCTS];
    reviews.push({
      id: String(reviews.length + 1),
      body: `Review ${reviews.length + 1} of ${product.name} by ${user.username}`,
      authorId: user.id,
      upc: product.upc,
    });
  }
}
const inventory = new Map(products.map((p, i) => [p.upc, { inStock: i % 3 !== 0 }]));

const FED = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@shareable"])`;

const definitions = {
  accounts: {
    sdl: `${FED}
      type Query { me: User users: [User] user(id: ID!): User }
      type User @key(fields: "id") { id: ID! name: String username: String birthday: Int }`,
    resolvers: {
      Query: {
        me: () => users[0],
        users: () => users,
        user: (_, { id }) => users.find((u) => u.id === id) ?? null,
      },
      User: { __resolveReference: (ref) => users.find((u) => u.id === ref.id) ?? null },
    },
  },
  reviews: {
    sdl: `${FED}
      type Review @key(fields: "id") { id: ID! body: String author: User product: Product }
      type User @key(fields: "id") { id: ID! reviews: [Review] }
      type Product @key(fields: "upc") { upc: String! reviews: [Review] }`,
    resolvers: {
      Review: {
        __resolveReference: (ref) => reviews.find((r) => r.id === ref.id) ?? null,
        author: (review) => ({ __typename: "User", id: review.authorId }),
        product: (review) => ({ __typename: "Product", upc: review.upc }),
      },
      User: {
        __resolveReference: (ref) => ({ id: ref.id }),
        reviews: (user) => reviews.filter((r) => r.authorId === user.id),
      },
      Product: {
        __resolveReference: (ref) => ({ upc: ref.upc }),
        reviews: (product) => reviews.filter((r) => r.upc === product.upc),
      },
    },
  },
  products: {
    sdl: `${FED}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String! name: String price: Int weight: Int }`,
    resolvers: {
      Query: { topProducts: (_, { first }) => products.slice(0, first) },
      Product: { __resolveReference: (ref) => products.find((p) => p.upc === ref.upc) ?? null },
    },
  },
  inventory: {
    sdl: `${FED}
      type Product @key(fields: "upc") {
        upc: String!
        price: Int @external
        weight: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (ref) => ({ ...ref, ...inventory.get(ref.upc) }),
        // free above 1000 cents, otherwise half the weight
        shippingEstimate: (p) => (p.price > 1000 ? 0 : Math.round(p.weight * 0.5)),
      },
    },
  },
};

const schemas = new Map();
const services = [];
for (const [name, { sdl, resolvers }] of Object.entries(definitions)) {
  const typeDefs = parse(sdl);
  schemas.set(`/${name}`, buildSubgraphSchema([{ typeDefs, resolvers }]));
  services.push({ name, typeDefs, url: `http://127.0.0.1:${port}/${name}` });
}
const composed = composeServices(services);
if (composed.errors) {
  for (const error of composed.errors) console.error(error.message);
  process.exit(1);
}
writeFileSync(args.supergraph, composed.supergraphSdl);

// ------------------------------------------------------------------ serving
const MAX_MEMO = 10000;
const memo = new Map();

async function answer(path, body) {
  const key = `${path}\n${body}`;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const schema = schemas.get(path);
  if (schema === undefined) return null;
  let request;
  try {
    request = JSON.parse(body);
  } catch {
    return Buffer.from(JSON.stringify({ errors: [{ message: "invalid JSON" }] }));
  }
  const result = await graphql({
    schema,
    source: request.query,
    variableValues: request.variables,
    operationName: request.operationName,
  });
  const bytes = Buffer.from(JSON.stringify(result));
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(key, bytes);
  return bytes;
}

let served = 0; // GraphQL requests answered, for GET /stats (fetches per gateway answer)
const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/health") {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"UP"}');
    return;
  }
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ requests: served }));
    return;
  }
  served += 1;
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    answer(req.url, Buffer.concat(chunks).toString("utf8")).then(
      (bytes) => {
        if (bytes === null) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json", "content-length": bytes.length });
        res.end(bytes);
      },
      (error) => {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      },
    );
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, "127.0.0.1", () => console.log(`subgraphs ready on ${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
// stop with the parent: a benchmark that dies must not leave this server behind
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
