// What every browser script of the plugin shares: Debian's chromium through the pinned
// playwright-core, one "PASS name" / "FAIL name" + indented diagnostics line per case, a
// screenshot after each case into VT_SHOTS, and "DONE" at the end (tests/cockpit/lib.sh
// turns these into TAP).
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(process.env.VT_NODE_MODULES + "/");
const { chromium } = require("playwright-core");

// A daemon under valgrind (VT_DAEMON_WRAPPER, as scripts/check runs the system suite)
// answers far more slowly.
export const WAIT = { timeout: process.env.VT_DAEMON_WRAPPER ? 180000 : 15000 };
export let page = null;
let browser = null;
let shot = 0;

export async function start () {
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
    page.on("pageerror", (error) => console.log(`page error: ${error.message}`));
    return page;
}

export async function finish () {
    await browser.close();
    console.log("DONE");
}

export async function test (name, body) {
    const started = Date.now();
    const took = () => console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    try {
        await body();
        took();
        console.log(`PASS ${name}`);
    } catch (error) {
        took();
        console.log(`FAIL ${name}`);
        for (const line of String(error.stack || error).split("\n").slice(0, 12)) console.log(`  ${line}`);
    }
    const file = `${String(++shot).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60)}.png`;
    await page.screenshot({ path: path.join(process.env.VT_SHOTS, file), fullPage: true }).catch(() => {});
}

export function assert (condition, message) {
    if (!condition) throw new Error(message);
}

export const text = (selector) => page.locator(selector).innerText();

// The provenance row of KEY once the preview shows VALUE for it (polls until then).
export async function provenance (key, value) {
    const row = page.locator(`#provenance tr[data-key="${key}"]`);
    await row.locator("td").nth(1).filter({ hasText: new RegExp(`^${value}$`) }).waitFor(WAIT);
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
    return { layer: await row.locator("td").nth(2).innerText(), cls: await row.getAttribute("class") };
}

export async function freshPage () {
    await page.goto(process.env.VT_URL);
    await page.locator("body[data-ready=true]").waitFor(WAIT);
}
