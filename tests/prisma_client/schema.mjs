// Prisma's own reading of a schema file: node schema.mjs PATH
//
// Prints one JSON object: {valid, error, dmmf, formatted, warnings}. `valid` and
// `error` come from Prisma's validator, `dmmf` is the Data Model Meta Format that
// Prisma Client is generated from, `formatted` is what `prisma format` would make
// of the file, and `warnings` are the linter's.
import { readFileSync } from "node:fs";
import wasm from "@prisma/prisma-schema-wasm";

const text = readFileSync(process.argv[2], "utf8");
const files = [["schema.prisma", text]];
const params = JSON.stringify({ prismaSchema: files, noColor: true });

const result = { valid: true, error: null, dmmf: null, formatted: null, warnings: [] };
try {
  wasm.validate(params);
  result.dmmf = JSON.parse(wasm.get_dmmf(params)).datamodel;
  const options = { textDocument: { uri: "file:/dev/null" }, options: { tabSize: 2, insertSpaces: true } };
  result.formatted = JSON.parse(wasm.format(JSON.stringify(files), JSON.stringify(options)))[0][1];
  result.warnings = JSON.parse(wasm.lint(JSON.stringify(files))).map((found) => found.text);
} catch (error) {
  result.valid = false;
  result.error = String(error.message ?? error);
}
process.stdout.write(JSON.stringify(result));
