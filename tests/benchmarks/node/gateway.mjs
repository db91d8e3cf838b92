// @apollo/gateway behind @apollo/server's standalone HTTP server, the reference peer of
// tests/benchmarks/bench_router.py:  node gateway.mjs --port PORT --supergraph FILE
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";

const { values: args } = parseArgs({
  options: { port: { type: "string" }, supergraph: { type: "string" } },
});
const gateway = new ApolloGateway({ supergraphSdl: readFileSync(args.supergraph, "utf8") });
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(args.port), host: "127.0.0.1" },
});
console.log(`gateway ready at ${url}`);
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => process.exit(0));
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
