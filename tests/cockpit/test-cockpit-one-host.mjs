// The Cockpit plugin with one libvirt connection (run by test-cockpit.sh after the main
// session, the daemon restarted with an empty virtuned.conf): no host selector, the
// preview renders as before, and the pool picker lists the pool as needing unrestricted
// access (nothing is allowed).
import { assert, finish, freshPage, provenance, start, test, text, WAIT } from "./harness.mjs";

const page = await start();

await test("one host: no host selector, and the preview renders", async () => {
    await freshPage();
    assert(!(await page.isVisible("#f-host")), "a host selector with one connection");
    await page.check("#scenario-desktop");
    await page.fill("#f-name", "one01");
    await provenance("guest.video", "virtio");
    assert(/<name>one01<\/name>/.test(await text("#preview-xml")), "XML lacks <name>one01</name>");
});

await test("one host: the pool picker marks the unlisted pool as needing unrestricted access", async () => {
    await page.click("#add-disk");
    const pool = page.locator('#pool-list option[value="default-pool"]');
    await pool.waitFor({ state: "attached", ...WAIT });
    assert(await pool.getAttribute("data-allowed") === "false", "default-pool allowed without allowed_pools");
    assert(/needs unrestricted access/.test(await pool.textContent()), await pool.textContent());
});

await finish();
