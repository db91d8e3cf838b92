// Reference peer: compose subgraphs with @apollo/composition.
// stdin: {"subgraphs": [{"name": ..., "url": ..., "sdl": ...}, ...], "repeat": 1}
// stdout: {"supergraph": "<sdl>" | null, "errors": [{"code": ..., "message": ...}], "hints": [...],
//          "elapsed_ms": <mean time of one composition, parsing included>}
"use strict";
const { composeServices } = require("@apollo/composition");
const { parse } = require("graphql");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { subgraphs, repeat = 1 } = JSON.parse(input);
  let result;
  const started = process.hrtime.bigint();
  try {
    for (let i = 0; i < repeat; i++) {
      result = composeServices(
        subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
      );
    }
  } catch (error) {
    process.stdout.write(JSON.stringify({ supergraph: null, errors: [{ code: "PARSE_ERROR", message: String(error) }], hints: [] }));
    return;
  }
  const errors = (result.errors || []).map((e) => ({
    code: (e.extensions && e.extensions.code) || null,
    message: e.message,
  }));
  const hints = (result.hints || []).map((h) => ({ code: h.definition.code, message: h.message }));
  const elapsed_ms = Number(process.hrtime.bigint() - started) / 1e6 / repeat;
  process.stdout.write(
    JSON.stringify({ supergraph: result.supergraphSdl || null, errors, hints, elapsed_ms }),
  );
});
