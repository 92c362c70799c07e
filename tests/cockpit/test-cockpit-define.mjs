// Define from the browser against a real libvirtd (run by tests/system/test-cockpit-define.sh).
// VT_MODE: "admin" (the bridge runs as root), "limited" (as nobody, whom polkit grants
// nothing) or "granted" (as nobody with a polkit rule granting org.virtscenario.define).
// The new domain's UUID goes to VT_OUT/NAME.uuid for the shell to compare with virsh.
import fs from "node:fs";
import path from "node:path";
import { assert, finish, freshPage, start, test, text, WAIT } from "./harness.mjs";

const MODE = process.env.VT_MODE;
const POOL = process.env.VT_POOL;
const OUT = process.env.VT_OUT;
const page = await start();

async function fillDesktop (name) {
    await page.check("#scenario-desktop");
    await page.fill("#f-name", name);
    await page.fill("#f-vcpus", "1");
    await page.fill("#f-memory", "256MiB");
    await page.click("#add-disk");
    await page.locator(".disk-source").fill(POOL);
    await page.locator(".disk-size").fill("64MiB");
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
}

async function defineAndWait (name) {
    await fillDesktop(name);
    await page.click("#define");
    // Define creates a volume and defines on a real libvirtd: on a loaded 2-core machine
    // that takes longer than a preview, so its deadline is four times as long.
    await page.locator("#define-status.success, #define-status.failure")
        .waitFor({ timeout: 4 * WAIT.timeout });
    return text("#define-status");
}

if (MODE === "admin") {
    await test("admin: the page shows no limited-access banner", async () => {
        await freshPage();
        await page.locator("body[data-access=admin]").waitFor(WAIT);
        assert(await page.isHidden("#access-status"), "the limited-access banner is shown to root");
    });
    await test("admin: Define of a desktop VM with a new volume reports its name and UUID", async () => {
        const status = await defineAndWait("vt-cockpit-admin");
        assert(/^Defined vt-cockpit-admin: UUID/.test(status), status);
        fs.writeFileSync(path.join(OUT, "vt-cockpit-admin.uuid"), await text("#defined-uuid"));
    });
} else {
    await test(`${MODE}: the page shows the limited-access banner`, async () => {
        await freshPage();
        await page.locator("body[data-access=limited]").waitFor(WAIT);
        assert(/Limited access/.test(await text("#access-status")), await text("#access-status"));
    });
    if (MODE === "limited") {
        await test("limited: Define says it needs administrative access, not a raw AccessDenied", async () => {
            const status = await defineAndWait("vt-cockpit-nobody");
            assert(/^This needs administrative access: switch to "Administrative access"/.test(status), status);
            assert(await page.locator("#define-status.failure").count() === 1, "not shown as an error");
        });
    } else {
        await test("granted: a polkit rule lets nobody Define from limited access", async () => {
            const status = await defineAndWait("vt-cockpit-granted");
            assert(/^Defined vt-cockpit-granted: UUID/.test(status), status);
            fs.writeFileSync(path.join(OUT, "vt-cockpit-granted.uuid"), await text("#defined-uuid"));
        });
    }
}
await finish();
