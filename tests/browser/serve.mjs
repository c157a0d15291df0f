// End to end: a page served by `scholarsite serve` follows edits without a manual reload,
// shows a broken edit as an overlay while the server keeps answering, and recovers.
// Usage: node serve.mjs BASE_URL PAPER_MD PAPER_PATH STYLE_CSS
import { readFileSync, writeFileSync, appendFileSync } from "node:fs";
import { launch, step } from "./lib.mjs";

const [base, paperMd, paperPath, styleCss] = process.argv.slice(2);
const original = readFileSync(paperMd, "utf8");
const context = await launch();
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(String(e)));
const timeout = 10000;
const bodyHas = (text) => page.waitForFunction((t) => document.body.innerText.includes(t), text, { timeout });

await step("open the paper page", async () => {
  const response = await page.goto(base + paperPath);
  if (response.status() !== 200) throw new Error("status " + response.status());
});

await step("an edit to the paper's Markdown appears without reloading by hand", async () => {
  appendFileSync(paperMd, "\n\nLive edit marker 48151623.\n");
  await bodyHas("Live edit marker 48151623.");
});

await step("a broken front matter shows an error overlay", async () => {
  writeFileSync(paperMd, original.replace("+++\n", "+++\ntitle = [\n"));
  await page.waitForSelector("#scholarsite-error", { state: "visible", timeout });
  const text = await page.textContent("#scholarsite-error");
  if (!/error: .* at .*autorep\.md:\d+:\d+/.test(text)) throw new Error("overlay text: " + text);
});

await step("the server still answers while the build is broken", async () => {
  const r = await fetch(base);
  if (r.status !== 200) throw new Error("status " + r.status);
  if (!(await r.text()).includes("Publications")) throw new Error("last good site not served");
});

await step("the next good save clears the overlay", async () => {
  writeFileSync(paperMd, original + "\n\nFixed marker 2718.\n");
  await bodyHas("Fixed marker 2718.");
  if (await page.$("#scholarsite-error")) throw new Error("overlay still shown");
});

await step("a CSS-only change swaps the stylesheet without a reload", async () => {
  await page.evaluate(() => { window.__notReloaded = true; });
  appendFileSync(styleCss, "\nbody { outline: 3px solid rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)", null, { timeout });
  if (!(await page.evaluate(() => window.__notReloaded === true))) throw new Error("the page was reloaded");
});

await step("no script errors on the page", async () => {
  if (errors.length) throw new Error(errors.join("; "));
});

await context.close();
writeFileSync(paperMd, original);
console.log("PASS");
