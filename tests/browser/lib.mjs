// Shared helpers for browser tests: headless Debian Chromium driven by playwright-core.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Each launch gets a fresh profile folder, removed when the process exits (also after `fail`).
export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), "scholarsite-chromium-"));
  process.on("exit", () => {
    try {
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A folder left in the temporary directory must not change the test's result.
    }
  });
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
           "--disable-component-update", "--disable-sync"],
  });
}

export function fail(message) {
  console.error("FAIL: " + message);
  process.exit(1);
}

export async function step(name, fn) {
  try {
    await fn();
    console.log("ok: " + name);
  } catch (e) {
    fail(name + ": " + (e && e.message ? e.message : e));
  }
}
