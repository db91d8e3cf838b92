import type { CodegenConfig } from "@graphql-codegen/cli";

// Types for every operation in src/, from the composed supergraph (the router's schema).
const config: CodegenConfig = {
  schema: "../../schema/supergraph.graphql",
  documents: ["src/**/*.ts", "src/**/*.tsx", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "src/gql/": {
      preset: "client",
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: "string", Decimal: "string", Date: "string", ID: "string" } },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
