// Compiles ClaimRegistry.sol with solc-js (the npm `solc` pinned in package.json) into
// ClaimRegistry.json: ABI, creation bytecode, deployed bytecode, compiler version and settings.
// `node compile.mjs` writes the file; `node compile.mjs --stdout` prints it instead (the test
// that proves the committed artifact matches a fresh compile uses that).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import solc from "solc";

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE = "ClaimRegistry.sol";
const CONTRACT = "ClaimRegistry";
const settings = {
  // Cancun runs on eth-tester's py-evm and on every current JSON-RPC node.
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 200 },
  metadata: { bytecodeHash: "none" },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
};

const input = {
  language: "Solidity",
  sources: { [SOURCE]: { content: readFileSync(join(here, SOURCE), "utf8") } },
  settings,
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors ?? []).filter((e) => e.severity === "error");
for (const e of output.errors ?? []) process.stderr.write(`${e.formattedMessage}\n`);
if (errors.length > 0) process.exit(1);

const compiled = output.contracts[SOURCE][CONTRACT];
const artifact = {
  contractName: CONTRACT,
  sourceName: SOURCE,
  compiler: { name: "solc-js", version: solc.version() },
  settings: { evmVersion: settings.evmVersion, optimizer: settings.optimizer },
  abi: compiled.abi,
  bytecode: `0x${compiled.evm.bytecode.object}`,
  deployedBytecode: `0x${compiled.evm.deployedBytecode.object}`,
};
const text = `${JSON.stringify(artifact, null, 2)}\n`;
if (process.argv.includes("--stdout")) process.stdout.write(text);
else writeFileSync(join(here, `${CONTRACT}.json`), text);
