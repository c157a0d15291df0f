// The default theme in a real browser: accessibility (axe-core), console and network errors,
// overflow on a phone, search, filters, the dark-mode toggle, and screenshots.
// Usage: node theme.mjs BASE_URL SCREENSHOT_DIR PAPER_PATH CATEGORY_PATH
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { launch, step } from "./lib.mjs";

const [base, shots, paperPath, categoryPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
mkdirSync(shots, { recursive: true });

const context = await launch();
const page = await context.newPage();
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
page.on("pageerror", (e) => problems.push("script error: " + e));
page.on("requestfailed", (r) => {
  // A request cut short by the next navigation is not a failure of the page.
  if (r.failure() && r.failure().errorText === "net::ERR_ABORTED") return;
  problems.push("failed request: " + r.url() + " " + (r.failure() && r.failure().errorText));
});
page.on("response", (r) => { if (r.status() >= 400) problems.push("HTTP " + r.status() + ": " + r.url()); });

async function open(path, width, scheme) {
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  const response = await page.goto(base + path, { waitUntil: "networkidle" });
  if (response.status() !== 200) throw new Error(path + ": status " + response.status());
}

async function axe() {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) => v.id + " (" + v.impact + "): " + v.help + " — " +
    v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}

const pages = { home: "", paper: paperPath, category: categoryPath, coauthors: "coauthors/" };
for (const scheme of ["light", "dark"]) {
  for (const [name, path] of Object.entries(pages)) {
    await step(`${name} page, ${scheme}: no axe violations, no errors`, async () => {
      problems.length = 0;
      await open(path, 1280, scheme);
      const violations = await axe();
      if (violations.length) throw new Error(violations.join("\n  "));
      // Expanded abstracts and BibTeX must pass too.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      const expanded = await axe();
      if (expanded.length) throw new Error("with <details> open: " + expanded.join("\n  "));
      if (problems.length) throw new Error(problems.join("\n  "));
    });
    await step(`${name} page, ${scheme}: no horizontal overflow at 390 px`, async () => {
      await open(path, 390, scheme);
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest("pre, math, .bibtex, table"))
          .slice(0, 3).map((e) => e.tagName + "." + e.className);
        return { scroll: document.documentElement.scrollWidth, width, wide };
      });
      if (overflow.scroll > overflow.width) throw new Error(JSON.stringify(overflow));
      if (problems.length) throw new Error(problems.join("\n  "));
    });
  }
}

await step("screenshots of the home page at 390 and 1280 px, light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    for (const width of [390, 1280]) {
      await open("", width, scheme);
      await page.screenshot({ path: join(shots, `home-${width}-${scheme}.png`), fullPage: width === 390 });
    }
  }
});

const visible = () => page.$$eval(".all-pubs li.paper", (lis) =>
  lis.filter((li) => !li.hidden).map((li) => li.querySelector(".paper-title").getAttribute("href")));

await step("search finds a paper by a word that appears only in its abstract", async () => {
  await open("", 1280, "light");
  const index = await page.evaluate(async () => (await fetch(document.querySelector("form.filters").dataset.index)).json());
  const words = (s) => new Set(s.toLowerCase().match(/[a-z]{9,}/g) || []);
  let target = null, word = null;
  for (const p of index.papers) {
    const others = index.papers.filter((o) => o !== p);
    const shown = words(p.title + " " + p.authors);
    for (const w of words(p.abstract)) {
      if (shown.has(w)) continue;
      if (others.some((o) => (o.title + " " + o.authors + " " + o.abstract).toLowerCase().includes(w))) continue;
      target = p; word = w; break;
    }
    if (target) break;
  }
  if (!target) throw new Error("no abstract-only word in the index");
  await page.fill("#q", word);
  await page.waitForFunction((n) => document.querySelectorAll(".all-pubs li.paper:not([hidden])").length === n, 1);
  const shown = await visible();
  if (shown.length !== 1 || shown[0] !== target.path) throw new Error(`"${word}": ${shown.join(", ")}`);
  const status = await page.textContent(".filter-status");
  if (!status.includes("Showing 1 of")) throw new Error("status: " + status);
});

await step("the category filter hides papers of other areas", async () => {
  await open("", 1280, "light");
  const total = (await visible()).length;
  const codes = await page.$$eval("#filter-category option", (os) => os.map((o) => o.value).filter(Boolean));
  const code = codes[codes.length - 1];
  await page.selectOption("#filter-category", code);
  const shown = await visible();
  if (!shown.length || shown.length >= total) throw new Error(`${code}: ${shown.length} of ${total}`);
  const wrong = await page.$$eval(".all-pubs li.paper", (lis, c) =>
    lis.filter((li) => !li.hidden && !li.dataset.cats.split(" ").includes(c)).length, code);
  if (wrong) throw new Error(`${wrong} papers outside ${code} still shown`);
  const emptyYears = await page.$$eval(".all-pubs .year-group", (gs) =>
    gs.filter((g) => !g.hidden && !g.querySelector("li.paper:not([hidden])")).length);
  if (emptyYears) throw new Error("year headings without papers are shown");
  const countsOf = () => page.$$eval(".all-pubs .year-group", (gs) => gs.filter((g) => !g.hidden).map((g) => {
    const n = g.querySelectorAll("li.paper:not([hidden])").length;
    return [g.dataset.year, n, g.querySelector(".year-count").textContent.trim()];
  }));
  for (const [year, n, text] of await countsOf()) {
    if (text !== `${n} paper${n === 1 ? "" : "s"}`) throw new Error(`${year}: ${n} shown, heading says "${text}"`);
  }
  await page.selectOption("#filter-category", "");
  if ((await visible()).length !== total) throw new Error("clearing the filter does not show all");
  for (const [year, n, text] of await countsOf()) {
    if (text !== `${n} paper${n === 1 ? "" : "s"}`) throw new Error(`after clearing, ${year}: ${n} shown, heading says "${text}"`);
  }
});

await step("the dark-mode toggle persists across a reload", async () => {
  await open("", 1280, "light");
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.click(".theme-toggle");
  if ((await page.getAttribute("html", "data-theme")) !== "dark") throw new Error("not dark after a click");
  if ((await page.getAttribute(".theme-toggle", "aria-pressed")) !== "true") throw new Error("aria-pressed not true");
  await page.reload({ waitUntil: "load" });
  if ((await page.getAttribute("html", "data-theme")) !== "dark") throw new Error("not dark after a reload");
  if ((await bg()) === light) throw new Error("background unchanged: " + light);
  await page.click(".theme-toggle");
  await page.reload({ waitUntil: "load" });
  if ((await page.getAttribute("html", "data-theme")) !== "light") throw new Error("light not remembered");
});

await context.close();
console.log("PASS");
