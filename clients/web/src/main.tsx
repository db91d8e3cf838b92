import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApolloProvider } from "@apollo/client/react";
import { makeClient } from "./apollo";
import { App } from "./App";
import { ErrorBoundary } from "./ErrorBoundary";
import { loadConfig } from "./config";
import "./style.css";

const config = await loadConfig();
const client = makeClient(config.graphqlPath);
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ErrorBoundary>
      <ApolloProvider client={client}>
        <App config={config} />
      </ApolloProvider>
    </ErrorBoundary>
  </StrictMode>,
);
