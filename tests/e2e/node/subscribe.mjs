// One subscription through the router with an unmodified, published client, for
// tests/e2e/test_router_subscriptions.py. Prints one JSON line per happening on stdout:
//   {"event":"next","result":...}  {"event":"error",...}  {"event":"complete"}
//   {"event":"connected"}  {"event":"closed","code":N,"reason":"..."}
// Settings (environment): HG_CLIENT = graphql-ws | apollo-ws | apollo-http, HG_URL (the
// router's http://.../graphql), HG_TOKEN, HG_QUERY, HG_VARIABLES (JSON). With HG_RESUME=1 the
// subscription's `since` follows the last position received, so a reconnect resumes there.
// Exits when stdin closes.
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";

const client = process.env.HG_CLIENT;
const httpUrl = process.env.HG_URL;
const wsUrl = httpUrl.replace(/^http/, "ws");
const token = process.env.HG_TOKEN;
const query = process.env.HG_QUERY;
const variables = JSON.parse(process.env.HG_VARIABLES || "{}");
const resume = process.env.HG_RESUME === "1";

function emit(event) {
  process.stdout.write(JSON.stringify(event) + "\n");
}

function track(result) {
  const root = result?.data && Object.values(result.data)[0];
  if (resume && root && typeof root.position === "number") {
    // graphql-ws sends this same payload object again when it reconnects
    variables.since = root.position;
  }
  emit({ event: "next", result });
}

function wsClient() {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: resume ? 30 : 0,
    retryWait: async () => new Promise((resolve) => setTimeout(resolve, 300)),
    shouldRetry: () => resume,
    on: {
      connected: () => emit({ event: "connected" }),
      closed: (event) => emit({ event: "closed", code: event?.code, reason: event?.reason }),
    },
  });
}

const sink = {
  next: track,
  error: (error) =>
    emit({
      event: "error",
      message: String(error?.message ?? error?.reason ?? error),
      code: error?.code,
      errors: Array.isArray(error) ? error : error?.errors,
    }),
  complete: () => emit({ event: "complete" }),
};

if (client === "graphql-ws") {
  wsClient().subscribe({ query, variables }, sink);
} else {
  const link =
    client === "apollo-ws"
      ? new GraphQLWsLink(wsClient())
      : new HttpLink({
          uri: httpUrl,
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
  const apollo = new ApolloClient({ link, cache: new InMemoryCache() });
  apollo
    .subscribe({ query: gql(query), variables, errorPolicy: "all" })
    .subscribe({
      next: (result) => track({ data: result.data, errors: result.error ? [String(result.error)] : undefined }),
      error: sink.error,
      complete: sink.complete,
    });
  if (client === "apollo-http") emit({ event: "connected" });
}

process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
