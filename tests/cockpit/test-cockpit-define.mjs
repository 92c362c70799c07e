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

// fillDesktop(name, disk, ui): the form for a desktop VM, with a new volume in POOL when
// disk; ui is the page, or the plugin's frame inside the shell.
async function fillDesktop (name, disk = true, ui = page) {
    await ui.locator("#scenario-desktop").check();
    await ui.locator("#f-name").fill(name);
    await ui.locator("#f-vcpus").fill("1");
    await ui.locator("#f-memory").fill("256MiB");
    if (disk) {
        await ui.locator("#add-disk").click();
        await ui.locator(".disk-source").fill(POOL);
        await ui.locator(".disk-size").fill("64MiB");
    }
    await ui.locator("#preview[data-state=ok]").waitFor(WAIT);
}

async function defineAndWait (name, disk = true, ui = page) {
    await fillDesktop(name, disk, ui);
    await ui.locator("#define").click();
    // Define creates a volume and defines on a real libvirtd, whose define alone took
    // 27-45 s here (`virsh define` too: libvirtd 9.0 probes QEMU's capabilities again on
    // every define in this namespace, on a loaded 2-core machine); so its deadline is
    // eight times a preview's.
    // A success names the domain: an earlier Define's in the same page does not count.
    await ui.locator("#define-status.failure")
        .or(ui.locator("#define-status.success").filter({ hasText: `Defined ${name}` }))
        .waitFor({ timeout: 8 * WAIT.timeout });
    return ui.locator("#define-status").innerText();
}

// The plugin as a user meets it: inside Cockpit's shell, in the frame the shell names
// after the package. cockpit-machines asks virt-host-validate whether the CPU has
// virtualization and, where it has not (TCG here), shows only a warning with an "Ignore"
// button, remembered in localStorage: set that first, as a user's earlier click would.
async function openInShell () {
    await page.goto(new URL(process.env.VT_URL).origin + "/virtuned");
    await page.evaluate(() => localStorage.setItem("virtualization-disabled-ignored", "true"));
    const frame = page.frameLocator('iframe[name="cockpit1:localhost/virtuned"]');
    await frame.locator("body[data-ready=true]").waitFor(WAIT);
    return frame;
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
    let shell = null;
    await test("admin: in the shell, a domain defined on another connection gets no link, but the reason", async () => {
        shell = await openInShell();
        await shell.locator("#f-host").selectOption("other");
        const status = await defineAndWait("vt-cockpit-other", false, shell);
        assert(/^Defined vt-cockpit-other: UUID/.test(status), status);
        assert(await shell.locator("#machines-link").count() === 0, "a cockpit-machines link for test:///default");
        const note = await shell.locator("#machines-note").innerText();
        assert(/only this machine's qemu:\/\/\/system; vt-cockpit-other is on test:\/\/\/default/.test(note), note);
    });
    await test("admin: in the shell, Define on qemu:///system links to cockpit-machines, which shows that VM", async () => {
        await shell.locator("#f-host").selectOption("default");
        const status = await defineAndWait("vt-cockpit-link", false, shell);
        assert(/^Defined vt-cockpit-link: UUID/.test(status), status);
        assert(await shell.locator("#machines-note").count() === 0, "the no-link sentence beside a link");
        const link = shell.getByRole("link", { name: "Open in Virtual machines" });
        await link.scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(process.env.VT_SHOTS, "04-before-following-the-link.png") });
        await link.click();
        const machines = page.frameLocator('iframe[name="cockpit1:localhost/machines"]');
        await machines.locator("#vm-details h2.vm-name").filter({ hasText: /^vt-cockpit-link$/ }).waitFor(WAIT);
        assert(/\/machines#vm\?name=vt-cockpit-link&connection=system$/.test(page.url()), page.url());
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
