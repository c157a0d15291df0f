// Lists split into year pages (a site with `[listings] max_per_page` low), in a real browser:
// axe-core finds no violations in light and dark mode, no console errors or failed requests,
// no horizontal overflow at 390 px; the newer/older links walk every year page; search on a
// year page finds a paper of another year through search.json; a screenshot of a year page.
// Usage: node year_pages.mjs BASE_URL SCREENSHOT_DIR
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { launch, step } from "./lib.mjs";

const [base, shots] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
mkdirSync(shots, { recursive: true });

const context = await launch();
const page = await context.newPage();
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
page.on("pageerror", (e) => problems.push("script error: " + e));
page.on("requestfailed", (r) => {
  if (r.failure() && r.failure().errorText === "net::ERR_ABORTED") return;
  problems.push("failed request: " + r.url() + " " + (r.failure() && r.failure().errorText));
});
page.on("response", (r) => { if (r.status() >= 400) problems.push("HTTP " + r.status() + ": " + r.url()); });

async function open(path, width, scheme) {
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  const response = await page.goto(new URL(path, base).href, { waitUntil: "networkidle" });
  if (response.status() !== 200) throw new Error(path + ": status " + response.status());
}

async function axe() {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => v.id + " (" + v.impact + "): " + v.help + " — " +
    v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}

const pages = {
  home: "", index: "papers/", year: "papers/2025/2/", area: "categories/lg/2026/",
  people: "coauthors/", "people-year": "coauthors/2025/",
};
for (const scheme of ["light", "dark"]) {
  for (const [name, path] of Object.entries(pages)) {
    await step(`${name} (${path}), ${scheme}: no axe violations, no errors, no overflow at 390 px`, async () => {
      problems.length = 0;
      await open(path, 1280, scheme);
      const violations = await axe();
      if (violations.length) throw new Error(violations.join("\n  "));
      await open(path, 390, scheme);
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      const overflow = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
      }));
      if (overflow.scroll > overflow.width) throw new Error(JSON.stringify(overflow));
      if (problems.length) throw new Error(problems.join("\n  "));
    });
  }
}

await step("the newer/older links walk every year page, and every paper is on one of them", async () => {
  await open("papers/", 1280, "light");
  let href = await page.getAttribute("nav.year-index a", "href");
  const seen = new Set(), papers = new Set();
  while (href) {
    if (seen.has(href)) throw new Error("loop at " + href);
    seen.add(href);
    await open(href, 1280, "light");
    for (const p of await page.$$eval(".listing-body li.paper a.paper-title", (as) => as.map((a) => a.getAttribute("href")))) {
      papers.add(p);
    }
    href = await page.getAttribute("nav.pager a[rel=next]", "href").catch(() => null);
  }
  const index = await page.evaluate(async () => (await fetch(document.querySelector("form.filters").dataset.index)).json());
  if (papers.size !== index.papers.length) throw new Error(`${papers.size} papers on the year pages, ${index.papers.length} in the index`);
});

await step("search on a year page finds a paper of another year (through search.json)", async () => {
  await open("papers/2025/2/", 1280, "light");
  const shownHere = await page.$$eval(".listing-body li.paper a.paper-title", (as) => as.map((a) => a.getAttribute("href")));
  const index = await page.evaluate(async () => (await fetch(document.querySelector("form.filters").dataset.index)).json());
  const words = (s) => new Set(s.toLowerCase().match(/[a-z]{9,}/g) || []);
  let target = null, word = null;
  for (const p of index.papers.filter((p) => !shownHere.includes(p.path))) {
    const others = index.papers.filter((o) => o !== p);
    for (const w of words(p.abstract)) {
      if (others.some((o) => (o.title + " " + o.authors + " " + o.abstract).toLowerCase().includes(w))) continue;
      target = p; word = w; break;
    }
    if (target) break;
  }
  if (!target) throw new Error("no word found in one abstract only");
  await page.fill("#q", word);
  await page.waitForFunction(() => !document.querySelector(".search-results").hidden);
  const found = await page.$$eval(".search-results li.paper a.paper-title", (as) => as.map((a) => a.getAttribute("href")));
  if (found.length !== 1 || found[0] !== target.path) throw new Error(`"${word}": ${found.join(", ")}`);
  if (!(await page.isHidden(".listing-body"))) throw new Error("the year's list still shows");
  const status = await page.textContent(".filter-status");
  if (!status.includes("1 matching paper")) throw new Error("status: " + status);
  await page.fill("#q", "");
  await page.waitForFunction(() => document.querySelector(".search-results").hidden);
  if (await page.isHidden(".listing-body")) throw new Error("the year's list does not come back");
  await page.screenshot({ path: join(shots, "year-page-1280-light.png"), fullPage: true });
});

await context.close();
console.log("PASS");
