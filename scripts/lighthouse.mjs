// Lighthouse (npm lighthouse@12.2.3, mobile preset) on the example site's home page, served
// from public/ under /homepage/ with gzip as GitHub Pages serves it. Build first:
//   cargo run --release -- build && node scripts/lighthouse.mjs [PAGE]
// Prints the four category scores and exits 1 if accessibility, best practices or SEO are below
// 100 or performance below 95. The full report is written to target/lighthouse.html.
import { createServer } from "node:http";
import { readFile, stat, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { join, extname, resolve } from "node:path";

const root = resolve(new URL("..", import.meta.url).pathname);
const pub = join(root, "public");
const page = process.argv[2] || "";
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
  ".woff2": "font/woff2", ".xml": "application/xml", ".txt": "text/plain", ".png": "image/png",
  ".jpg": "image/jpeg",
};

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(req.url.split("?")[0]);
  let file = path.startsWith("/homepage/") && !path.includes("..") ? join(pub, path.slice(10)) : null;
  try {
    if (file && (await stat(file)).isDirectory()) file = join(file, "index.html");
    let body = await readFile(file);
    const type = types[extname(file)] || "application/octet-stream";
    const headers = { "Content-Type": type, "Cache-Control": "max-age=600" };
    if (/text|json|svg|xml/.test(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
      body = gzipSync(body);
      headers["Content-Encoding"] = "gzip";
    }
    res.writeHead(200, headers);
    res.end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
    res.end(await readFile(join(pub, "404.html")).catch(() => "not found"));
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/homepage/${page}`;
const out = join(root, "target", "lighthouse");
process.env.CHROME_PATH = process.env.CHROMIUM || "/usr/bin/chromium";
try {
  const cli = join(root, "node_modules", "lighthouse", "cli", "index.js");
  await new Promise((resolveRun, reject) => {
    import("node:child_process").then(({ execFile }) => {
      execFile(process.execPath, [cli, url, "--quiet", "--output=json", "--output=html",
        `--output-path=${out}`, "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
        { maxBuffer: 1 << 26 }, (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolveRun()));
    });
  });
} finally {
  server.close();
}
const report = JSON.parse(await readFile(out + ".report.json", "utf8"));
const scores = Object.fromEntries(Object.entries(report.categories).map(([k, c]) => [k, Math.round(c.score * 100)]));
console.log(`Lighthouse ${report.lighthouseVersion} (${report.configSettings.formFactor}) ${url}`);
for (const [k, v] of Object.entries(scores)) console.log(`  ${k}: ${v}`);
const failing = Object.entries(report.categories).flatMap(([, c]) =>
  c.auditRefs.map((r) => report.audits[r.id]).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map((a) => `${c.id}: ${a.id}`));
if (failing.length) console.log("  not passed: " + failing.join(", "));
const ok = scores.performance >= 95 && scores.accessibility === 100 && scores["best-practices"] === 100 && scores.seo === 100;
await writeFile(join(root, "target", "lighthouse-scores.json"), JSON.stringify(scores) + "\n");
process.exit(ok ? 0 : 1);
