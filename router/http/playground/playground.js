// healthgraph: starts GraphiQL against the GraphQL endpoint that served this page.
// Served as a file (never inline) so the page's Content-Security-Policy can forbid inline script.
// The example tabs come from examples.js (router/http/playground/examples.py); GraphiQL shows
// them when the browser has no tabs of its own stored yet (its "defaultTabs").
(function () {
  "use strict";
  var endpoint = window.location.origin + window.location.pathname;
  var params = new URLSearchParams(window.location.search);
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var props = {
    fetcher: fetcher,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  };
  if (params.get("query")) {
    props.query = params.get("query");
  } else if (window.healthgraphExamples) {
    props.defaultTabs = window.healthgraphExamples;
  }
  if (params.get("variables")) {
    props.variables = params.get("variables");
  }
  if (params.get("operationName")) {
    props.operationName = params.get("operationName");
  }
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(GraphiQL, props));
})();
