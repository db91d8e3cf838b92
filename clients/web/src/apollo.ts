import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import { getSession } from "./session";

// Subscriptions over graphql-transport-ws, everything else over HTTP: both to the router only.
export function makeClient(graphqlPath: string): ApolloClient {
  const auth = new SetContextLink((prevContext) => {
    const session = getSession();
    const headers = { ...(prevContext.headers as Record<string, string> | undefined) };
    if (session) headers.authorization = `Bearer ${session.accessToken}`;
    return { headers };
  });
  const http = new HttpLink({ uri: graphqlPath });
  const wsUrl = new URL(graphqlPath, window.location.href);
  wsUrl.protocol = wsUrl.protocol === "https:" ? "wss:" : "ws:";
  const ws = new GraphQLWsLink(
    createClient({
      url: wsUrl.toString(),
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => getSession() !== null,
      connectionParams: () => {
        const session = getSession();
        return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
      },
    }),
  );
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return (
        definition.kind === "OperationDefinition" &&
        definition.operation === OperationTypeNode.SUBSCRIPTION
      );
    },
    ws,
    auth.concat(http),
  );
  return new ApolloClient({ link, cache: new InMemoryCache() });
}
