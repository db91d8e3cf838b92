// Reference peer: compose subgraphs with @apollo/composition.
// stdin: {"subgraphs": [{"name": ..., "url": ..., "sdl": ...}, ...]}
// stdout: {"supergraph": "<sdl>" | null, "errors": [{"code": ..., "message": ...}], "hints": [...]}
"use strict";
const { composeServices } = require("@apollo/composition");
const { parse } = require("graphql");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { subgraphs } = JSON.parse(input);
  let result;
  try {
    result = composeServices(
      subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
    );
  } catch (error) {
    process.stdout.write(JSON.stringify({ supergraph: null, errors: [{ code: "PARSE_ERROR", message: String(error) }], hints: [] }));
    return;
  }
  const errors = (result.errors || []).map((e) => ({
    code: (e.extensions && e.extensions.code) || null,
    message: e.message,
  }));
  const hints = (result.hints || []).map((h) => ({ code: h.definition.code, message: h.message }));
  process.stdout.write(JSON.stringify({ supergraph: result.supergraphSdl || null, errors, hints }));
});
