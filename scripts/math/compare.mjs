// Compares how much of the math corpus scholarsite, KaTeX and Temml accept.
//
//   npm ci --prefix scripts/math        # once: installs katex and temml (see package.json)
//   node scripts/math/compare.mjs       # from the repository root
//
// scholarsite's verdicts come from its own library, through the example binary
// `cargo run --example math_accept` (one JSON object per expression). An expression is
// accepted by KaTeX or Temml when renderToString neither throws (throwOnError: true, strict
// checks off) nor falls back to showing the source in the error colour (Temml does that for
// unknown commands, KaTeX for commands disabled by `trust`). KaTeX runs with its default
// `trust: false` (\href, \url, \includegraphics and \htmlClass/\htmlId/\htmlStyle/\htmlData
// are refused) and again with `trust: true`, which a site may choose. Prints the rates and
// every expression KaTeX or Temml accepts that scholarsite rejects, with scholarsite's reason,
// as Markdown.

import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import katex from "katex";
// KaTeX reports missing font metrics for some symbols on the console: not errors.
console.warn = () => {};
import temml from "temml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const fixtures = join(root, "tests", "fixtures", "math");
const files = readdirSync(fixtures)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()
  .map((f) => relative(root, join(fixtures, f)));

const out = execFileSync("cargo", ["run", "--quiet", "--example", "math_accept", "--", ...files], {
  cwd: root,
  encoding: "utf8",
  maxBuffer: 64 * 1024 * 1024,
  stdio: ["ignore", "pipe", "inherit"],
});
const rows = out.trim().split("\n").map((line) => JSON.parse(line));

const ERROR_COLOR = "#cc0001";
const accepts = (render, tex, display) => {
  try {
    const html = render(tex, display);
    if (html.toLowerCase().includes(ERROR_COLOR.slice(1))) {
      return { ok: false, error: "rendered as an error (source in the error colour)" };
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, error: String(e.message || e).split("\n")[0] };
  }
};
const katexWith = (trust) => (tex, displayMode) =>
  katex.renderToString(tex, {
    displayMode,
    throwOnError: true,
    strict: "ignore",
    errorColor: ERROR_COLOR,
    trust,
  });
const katexRender = katexWith(false);
const katexTrusting = katexWith(true);
const temmlRender = (tex, displayMode) =>
  temml.renderToString(tex, {
    displayMode,
    throwOnError: true,
    strict: false,
    errorColor: ERROR_COLOR,
  });

let ours = 0;
let k = 0;
let kt = 0;
let t = 0;
const katexOnly = [];
const temmlOnly = [];
const oursOnly = [];
for (const r of rows) {
  const kr = accepts(katexRender, r.tex, r.display);
  const tr = accepts(temmlRender, r.tex, r.display);
  ours += r.ok ? 1 : 0;
  k += kr.ok ? 1 : 0;
  kt += accepts(katexTrusting, r.tex, r.display).ok ? 1 : 0;
  t += tr.ok ? 1 : 0;
  if (kr.ok && !r.ok) katexOnly.push(r);
  if (tr.ok && !r.ok && !kr.ok) temmlOnly.push(r);
  if (r.ok && !kr.ok && !tr.ok) oursOnly.push({ ...r, katex: kr.error });
}

const pct = (n) => `${((100 * n) / rows.length).toFixed(1)}%`;
const code = (s) => "`` " + s.replaceAll("\n", " ").replaceAll("|", "\\|") + " ``";
const lines = [];
lines.push(`Corpus: ${rows.length} expressions in ${files.length} files (tests/fixtures/math/).`);
lines.push("");
lines.push("| renderer | accepted | rate |");
lines.push("|---|---|---|");
lines.push(`| scholarsite (pulldown-latex 0.8 + rewrite layer) | ${ours} | ${pct(ours)} |`);
lines.push(`| KaTeX ${katex.version} | ${k} | ${pct(k)} |`);
lines.push(`| KaTeX ${katex.version}, \`trust: true\` | ${kt} | ${pct(kt)} |`);
lines.push(`| Temml ${temml.version} | ${t} | ${pct(t)} |`);
lines.push("");
lines.push(`Accepted by KaTeX, rejected by scholarsite (${katexOnly.length}):`);
lines.push("");
for (const r of katexOnly) lines.push(`- ${code(r.tex)} (${r.file}:${r.line}): ${r.error}`);
if (temmlOnly.length) {
  lines.push("");
  lines.push(`Accepted by Temml only, rejected by scholarsite (${temmlOnly.length}):`);
  lines.push("");
  for (const r of temmlOnly) lines.push(`- ${code(r.tex)} (${r.file}:${r.line}): ${r.error}`);
}
lines.push("");
lines.push(`Accepted by scholarsite, rejected by both KaTeX and Temml (${oursOnly.length}):`);
lines.push("");
for (const r of oursOnly) lines.push(`- ${code(r.tex)} (${r.file}:${r.line}); KaTeX: ${r.katex}`);
console.log(lines.join("\n"));
