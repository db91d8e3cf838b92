// healthgraph: starts GraphiQL against the GraphQL endpoint that served this page.
// Served as a file (never inline) so the page's Content-Security-Policy can forbid inline script.
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
