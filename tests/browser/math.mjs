// Every accepted corpus formula on one page, styled by the math stylesheet a site ships, in a
// real browser: what only layout can tell. At 390 px (a phone) each formula has a box of
// non-zero width and height and stays inside the paragraph that holds it (a long display
// formula scrolls in its own box). Then a screenshot for people to look at.
// Usage: node math.mjs PAGE_URL FORMULA_COUNT SCREENSHOT_PATH
// Prints `ok: …` per check, `PROBLEM …` per formula that does not fit, and PASS at the end.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { launch, step } from "./lib.mjs";

const [url, expected, shot] = process.argv.slice(2);
const context = await launch();
const page = await context.newPage();
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text() + " " + m.location().url); });
page.on("requestfailed", (r) => problems.push("failed request: " + r.url()));
page.on("response", (r) => { if (r.status() >= 400) problems.push("HTTP " + r.status() + ": " + r.url()); });

await page.setViewportSize({ width: 390, height: 844 });
await page.goto(url, { waitUntil: "networkidle" });
await page.evaluate(() => document.fonts.ready);

await step("the page and its stylesheets load without errors", async () => {
  if (problems.length) throw new Error(problems.join("\n  "));
  const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => [s.href, s.cssRules.length]));
  const math = sheets.find(([href]) => href && href.endsWith("/math/math.css"));
  if (!math || math[1] === 0) throw new Error("math/math.css is not applied: " + JSON.stringify(sheets));
  const family = await page.$eval("math", (m) => getComputedStyle(m).fontFamily);
  if (!family.includes("Latin Modern Math")) throw new Error("formulas are not in the math font: " + family);
});

await step(`the browser parsed ${expected} formulas, one per paragraph`, async () => {
  const counts = await page.evaluate(() => [
    document.querySelectorAll("[data-formula]").length,
    document.querySelectorAll("[data-formula] > math").length,
    document.querySelectorAll("math").length,
  ]);
  if (counts.some((n) => n !== Number(expected))) throw new Error(`formulas, math children, math: ${counts}`);
});

// Each formula whose box is empty (no width; or no height, unless it is only spacing such as
// \kern1em) or that sticks out of its paragraph (its box, or its content out of a box that
// does not scroll), as `PROBLEM id kind tex`: the test compares them with the problems it
// knows of.
const problemsAt390 = await page.evaluate(() => {
  const out = [];
  for (const p of document.querySelectorAll("[data-formula]")) {
    const m = p.querySelector(":scope > math");
    const box = m.getBoundingClientRect();
    const outer = p.getBoundingClientRect();
    const ink = [...m.querySelectorAll("mi, mn, mo, mtext, ms")].some((t) => t.textContent.trim());
    if (!(box.width > 0) || (ink && !(box.height > 0))) {
      out.push([p.id, "empty", p.dataset.formula]);
    } else if (box.left < outer.left - 0.5 || box.right > outer.right + 0.5 ||
               (getComputedStyle(m).overflowX === "visible" && box.left + m.scrollWidth > outer.right + 0.5)) {
      out.push([p.id, "overflows", p.dataset.formula]);
    }
  }
  return out;
});
for (const [id, kind, tex] of problemsAt390) console.log(`PROBLEM ${id} ${kind} ${JSON.stringify(tex)}`);

await step("a screenshot of the page at 390 px", async () => {
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
});

await context.close();
console.log("PASS");
