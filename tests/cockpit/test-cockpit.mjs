// Browser cases of the Cockpit plugin, run by test-cockpit.sh (which starts cockpit-ws, the
// daemon and its fake kernel tree). Every wait is Playwright's polling with a deadline, on
// a state the page sets (data-state, text); see harness.mjs for the output.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { assert, finish, freshPage, provenance, start, test, text, WAIT } from "./harness.mjs";

const SHOTS = process.env.VT_SHOTS;
const ROOT = process.env.VT_ROOT;

function hostFile (rel) {
    return fs.readFileSync(path.join(ROOT, rel), "utf8").trim();
}

function vscenctl (...args) {
    return execFileSync(process.env.VT_CTL, ["--session", ...args], { encoding: "utf8" });
}

const page = await start();

await test("the page loads and lists the daemon's scenarios with summaries", async () => {
    await freshPage();
    const label = await text("label[for=scenario-desktop]");
    assert(/desktop/.test(label) && /Interactive desktop VM/.test(label), `desktop label: ${label}`);
    const count = await page.locator("#scenario-list input[type=checkbox]").count();
    const listed = execFileSync("gdbus", ["call", "--session", "-d", "org.virtscenario.Manager", "-o",
        "/org/virtscenario/Manager", "-m", "org.virtscenario.Manager.ListScenarios", "--timeout", String(WAIT.timeout / 1000)],
        { encoding: "utf8" });
    const expected = (listed.match(/\('/g) || []).length;
    assert(count === expected && count > 5, `${count} checkboxes, ListScenarios has ${expected}`);
});

await test("desktop + a name: the preview shows virtio video from scenario:desktop", async () => {
    await page.check("#scenario-desktop");
    await page.fill("#f-name", "web01");
    const video = await provenance("guest.video", "virtio");
    assert(video.layer === "scenario:desktop", `guest.video layer ${video.layer}`);
    const xml = await text("#preview-xml");
    assert(/<name>web01<\/name>/.test(xml), "XML lacks <name>web01</name>");
    assert(/<video>\s*<model type="virtio"/.test(xml), "XML lacks a virtio video model");
});

await test("a user value is marked as the user's in the provenance and reaches the XML", async () => {
    await page.fill("#f-vcpus", "3");
    const vcpus = await provenance("guest.vcpus", "3");
    assert(vcpus.layer.startsWith("user") && /layer-user/.test(vcpus.cls), `guest.vcpus ${JSON.stringify(vcpus)}`);
    assert(/<vcpu[^>]*>3<\/vcpu>/.test(await text("#preview-xml")), "XML has no <vcpu>3</vcpu>");
    const other = await provenance("guest.video", "virtio");
    assert(!/layer-user/.test(other.cls || ""), "a scenario value is marked as the user's");
});

await test("typing fast: the preview ends on the last value typed", async () => {
    await page.locator("#f-vcpus").fill("");
    await page.locator("#f-vcpus").pressSequentially("128", { delay: 20 });
    await provenance("guest.vcpus", "128");
    await page.fill("#f-vcpus", "2");
    await provenance("guest.vcpus", "2");
    assert(/<vcpu[^>]*>2<\/vcpu>/.test(await text("#preview-xml")), "XML is not the latest");
});

await test("a bad memory size: the daemon's message appears beside the memory field", async () => {
    await page.fill("#f-memory", "1x");
    const error = page.locator("[data-key~=memory] .error");
    await error.filter({ hasText: "is not a size" }).waitFor(WAIT);
    assert((await error.innerText()).startsWith("memory (line"), await error.innerText());
    assert(await page.getAttribute("#f-memory", "aria-invalid") === "true", "memory not aria-invalid");
    assert(await page.locator("#form-error").isHidden(), "the error also went under the form");
    await page.fill("#f-memory", "4GiB");
    await error.waitFor({ state: "hidden", ...WAIT });
    await provenance("guest.memory", "4GiB");
});

await test("a bad disk size lands in that disk's row; an advanced setting out of range in its row", async () => {
    await page.click("#add-disk");
    await page.click("#add-disk");
    await page.locator(".disk-row").nth(1).locator(".disk-size").fill("1Q");
    const rowError = page.locator(".disk-row").nth(1).locator(".error");
    await rowError.filter({ hasText: "disks[1].size" }).waitFor(WAIT);
    await page.locator(".disk-row").nth(1).getByRole("button", { name: "Remove disk 2" }).click();
    await page.locator(".disk-row").nth(0).locator(".disk-size").fill("10GiB");
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
    await page.click("#advanced summary");
    await page.fill("#setting-guest\\.iothreads", "999");
    const settingError = page.locator("#advanced-table tr[data-key='guest.iothreads'] .error");
    await settingError.filter({ hasText: "is not a valid value for guest.iothreads" }).waitFor(WAIT);
    await page.fill("#setting-guest\\.iothreads", "");
    await page.selectOption("#setting-guest\\.video", "qxl");
    const video = await provenance("guest.video", "qxl");
    assert(video.layer.startsWith("user"), `guest.video layer ${video.layer}`);
    await page.selectOption("#setting-guest\\.video", "");
    await provenance("guest.video", "virtio");
});

await test("conflicting scenarios are shown before submitting, and the daemon's Conflict lands on the scenarios", async () => {
    await page.check("#scenario-securevm");
    await page.check("#scenario-migratable");
    const box = page.locator("#scenario-conflicts");
    await box.filter({ hasText: "securevm and migratable cannot be combined" }).waitFor(WAIT);
    await page.locator("[data-key~=scenario] .error").filter({ hasText: "cannot be combined" }).waitFor(WAIT);
    await page.uncheck("#scenario-migratable");
    await page.uncheck("#scenario-securevm");
    await box.waitFor({ state: "hidden", ...WAIT });
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
    assert(/default → desktop →/.test(await text("#scenario-order")), await text("#scenario-order"));
});

await test("the OS list comes from ListOperatingSystems and an OS sets its layer", async () => {
    const options = await page.locator("#os-list option").count();
    assert(options > 100, `only ${options} OSes in the list`);
    assert(await page.locator("#os-list option[value=fedora37]").count() === 1, "fedora37 not offered");
    await page.fill("#f-os", "fedora37");
    const rng = await provenance("guest.rng", "on");
    assert(rng.layer === "os:fedora37" || rng.layer === "scenario:desktop", `guest.rng layer ${rng.layer}`);
    const xml = await text("#preview-xml");
    assert(/libosinfo:os id="[^"]*fedora[^"]*37"/.test(xml), "no libosinfo metadata for fedora37");
    await page.fill("#f-os", "");
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
});

let exported = "";
await test("export then import gives back the same form and the same XML", async () => {
    await page.click("#add-net");
    await page.selectOption("#f-firmware", "efi");
    await page.fill("#setting-guest\\.iothreads", "2");
    await provenance("guest.iothreads", "2");
    const xmlBefore = await text("#preview-xml");
    const [download] = await Promise.all([page.waitForEvent("download", WAIT), page.click("#export")]);
    assert(download.suggestedFilename() === "web01.yaml", download.suggestedFilename());
    exported = fs.readFileSync(await download.path(), "utf8");
    for (const line of ["name: web01", "scenario: desktop", "vcpus: 2", "memory: 4GiB",
        "- pool: default", "  size: 10GiB", "- network: default", "firmware: efi",
        "  guest.iothreads: 2"])
        assert(exported.split("\n").includes(line), `export lacks "${line}":\n${exported}`);
    const file = path.join(SHOTS, "..", "cockpit-export.yaml");
    fs.writeFileSync(file, exported);
    await freshPage();
    assert(await page.inputValue("#f-name") === "", "the fresh page is not empty");
    await page.setInputFiles("#import", file);
    await page.locator("#import-status").filter({ hasText: "Imported" }).waitFor(WAIT);
    await provenance("guest.iothreads", "2");
    assert(await page.isChecked("#scenario-desktop"), "desktop not checked after import");
    assert(await page.inputValue("#f-name") === "web01", "name not imported");
    assert(await text("#preview-xml") === xmlBefore, "the imported form renders other XML");
    const [again] = await Promise.all([page.waitForEvent("download", WAIT), page.click("#export")]);
    const second = fs.readFileSync(await again.path(), "utf8");
    assert(second === exported, `second export differs:\n${second}`);
});

await test("importing a file the form cannot hold is refused with a message", async () => {
    const bad = path.join(SHOTS, "..", "cockpit-bad.yaml");
    const refused = [
        ["name: x\ndisks:\n  - path: /etc/shadow\n", "pool, volume and CD-ROM disks only"],
        ["name: &a x\n", "anchors and aliases"],
        ["name: x\nsettings:\n  guest.nosuch: 1\n", "unknown settings: guest.nosuch"],
        ["- name: x\n", "not a description"],
        ["name: x\n" + "# padding\n".repeat(7000), "larger than the 64 KiB"],
    ];
    for (const [content, message] of refused) {
        fs.writeFileSync(bad, content);
        await page.setInputFiles("#import", bad);
        await page.locator("#import-status.failure").filter({ hasText: message }).waitFor(WAIT);
    }
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
    assert(/larger than the 64 KiB/.test(await text("#import-status")), "the next preview hid the import error");
    assert(await page.inputValue("#f-name") === "web01", "a refused import changed the form");
});

await test("Define creates the domain: name and UUID shown; the same name again is a Conflict on the name", async () => {
    await freshPage();
    await page.check("#scenario-desktop");
    await page.fill("#f-name", "cockpit01");
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
    await page.click("#define");
    await page.locator("#define-status.success").waitFor(WAIT);
    const uuid = await text("#defined-uuid");
    assert(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(uuid), `uuid ${uuid}`);
    assert(/Defined cockpit01/.test(await text("#define-status")), await text("#define-status"));
    // The daemon's connection is test:///default: nothing cockpit-machines could show.
    assert(await page.locator("#machines-link").count() === 0, "a cockpit-machines link for test:///default");
    const note = await text("#machines-note");
    assert(/only this machine's qemu:\/\/\/system; cockpit01 is on test:\/\/\/default\.$/.test(note), note);
    await page.click("#define");
    await page.locator("[data-key~=name] .error").filter({ hasText: "cockpit01" }).waitFor(WAIT);
    assert(/Not defined/.test(await text("#define-status")), await text("#define-status"));
});

await test("Define and start: the domain is defined and started", async () => {
    await page.fill("#f-name", "cockpit02");
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
    await page.click("#define-start");
    await page.locator("#define-status.success").filter({ hasText: "Defined cockpit02 and started it" }).waitFor(WAIT);
});

await test("the Host page: check table, Tune shows a dry run that changes nothing until confirmed", async () => {
    await page.click("#tab-host");
    assert(await page.isHidden("#page-newvm"), "the New VM page stays visible on the Host tab");
    await page.check("#host-scenario-desktop");
    const thp = page.locator("#host-check-table tr[data-setting='host.thp']");
    await thp.filter({ hasText: /madvise\s*always\s*no/ }).waitFor(WAIT);
    assert(/madvise\s+always\s+no/.test(await thp.innerText()), await thp.innerText());
    const hugepages = await page.locator("#host-check-table tr[data-setting='host.hugepages']").innerText();
    assert(/not asked for\s+yes/.test(hugepages), hugepages);
    await page.click("#host-tune");
    await page.locator("#host-dry-run tr[data-setting='host.thp']").waitFor(WAIT);
    assert(hostFile("sys/kernel/mm/transparent_hugepage/enabled") === "always [madvise] never",
           "the dry run changed the host");
    await page.click("#host-confirm-yes");
    await page.locator("#host-check-table tr.ok[data-setting='host.thp']").waitFor(WAIT);
    assert(/always\s+always\s+yes/.test(await thp.innerText()), await thp.innerText());
    assert(/\[always\]/.test(hostFile("sys/kernel/mm/transparent_hugepage/enabled")), "thp not tuned");
    await page.locator("#tuned-scenarios").filter({ hasText: "desktop" }).waitFor(WAIT);
    await page.locator("#host-changes li").filter({ hasText: "host.thp" }).first().waitFor(WAIT);
});

await test("Revert restores the host and the tuned scenarios; another client's tune shows up live", async () => {
    await page.click("#host-revert");
    await page.locator("#host-status").filter({ hasText: "Reverted" }).waitFor(WAIT);
    await page.locator("#tuned-scenarios").filter({ hasText: "nothing" }).waitFor(WAIT);
    assert(hostFile("sys/kernel/mm/transparent_hugepage/enabled") === "always [madvise] never",
           "revert did not restore thp");
    vscenctl("host", "tune", "computation");
    await page.locator("#tuned-scenarios").filter({ hasText: "computation" }).waitFor(WAIT);
    await page.locator("#host-changes li").filter({ hasText: "host.swappiness" }).first().waitFor(WAIT);
    vscenctl("host", "revert");
    await page.locator("#tuned-scenarios").filter({ hasText: "nothing" }).waitFor(WAIT);
});

await test("a persistent tune writes the boot-time drop-ins; Revert removes them", async () => {
    await page.check("#host-persistent");
    await page.click("#host-tune");
    await page.locator("#host-confirm").waitFor(WAIT);
    await page.click("#host-confirm-yes");
    await page.locator("#host-status").filter({ hasText: "Tuned" }).waitFor(WAIT);
    assert(/vm.swappiness = 35/.test(hostFile("etc/sysctl.d/90-virtuned.conf")), "no sysctl drop-in");
    await page.click("#host-revert");
    await page.locator("#host-status").filter({ hasText: "Reverted" }).waitFor(WAIT);
    assert(!fs.existsSync(path.join(ROOT, "etc/sysctl.d/90-virtuned.conf")), "revert left the sysctl drop-in");
    await page.uncheck("#host-persistent");
});

await test("the Confidential computing panel says SEV is not available on this host", async () => {
    await page.click("#tab-sev");
    await page.locator("#sev-summary[data-state=unsupported]").waitFor(WAIT);
    assert(/not available on this host/.test(await text("#sev-summary")), await text("#sev-summary"));
});

await test("the page follows the system's dark theme, and Cockpit's own choice over it", async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: "light" });
    const light = await background();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await background();
    assert(light !== dark, `the same background in light and dark: ${light}`);
    // The case's own screenshot is taken in light again; these show the dark theme.
    for (const tab of ["newvm", "host", "sev"]) {
        await page.click(`#tab-${tab}`);
        await page.screenshot({ path: path.join(SHOTS, `17-dark-theme-${tab}.png`), fullPage: true });
    }
    await page.evaluate(() => localStorage.setItem("shell:style", "light"));
    await freshPage();
    assert(await background() === light, "Cockpit's light choice did not win over the system's dark");
    await page.evaluate(() => localStorage.removeItem("shell:style"));
    await page.emulateMedia({ colorScheme: "light" });
});

await test("every control has a label (an accessible name)", async () => {
    await page.click("#add-disk");
    await page.click("#add-net");
    const unnamed = await page.evaluate(() => [...document.querySelectorAll("input, select, button")]
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label") &&
                      !el.textContent.trim())
        .map(el => el.outerHTML.slice(0, 80)));
    assert(unnamed.length === 0, `controls without a label: ${unnamed.join(" | ")}`);
});

await test("keyboard only: tabs by arrow keys, a scenario by space, the name typed, the preview follows", async () => {
    await freshPage();
    await page.focus("#tab-newvm");
    await page.keyboard.press("ArrowRight");
    assert(await page.getAttribute("#tab-host", "aria-selected") === "true", "ArrowRight did not select Host");
    await page.keyboard.press("ArrowLeft");
    assert(await page.isVisible("#page-newvm"), "ArrowLeft did not come back to New VM");
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = await page.evaluate(() => document.activeElement.id === "scenario-desktop");
    }
    assert(reached, "Tab never reached the desktop checkbox");
    await page.keyboard.press("Space");
    for (let i = 0; i < 30 && await page.evaluate(() => document.activeElement.id) !== "f-name"; i++)
        await page.keyboard.press("Tab");
    assert(await page.evaluate(() => document.activeElement.id) === "f-name", "Tab never reached the name");
    await page.keyboard.type("kbd01");
    await provenance("guest.video", "virtio");
    assert(/<name>kbd01<\/name>/.test(await text("#preview-xml")), "the preview did not follow the keyboard");
});

// Several hosts (issue 13 item 7): test-cockpit.sh configures three connections,
// "default" (allowed_pools=default-pool, allowed_networks=default), "second" (the same
// test driver, no allowed pools or networks, planned with a saved SEV-capable domcaps, so
// its preview lacks the default host's "host capabilities unavailable" warning) and
// "down" (nothing listens there).
const GENERIC = /host capabilities unavailable/;

await test("several hosts: the selector lists every connection, the default first", async () => {
    await freshPage();
    assert(await page.isVisible("#f-host"), "no host selector with several connections");
    const values = await page.locator("#f-host option").evaluateAll(os => os.map(o => o.value));
    assert(values.join(",") === "default,second,down", `hosts: ${values.join(",")}`);
    const down = await page.locator('#f-host option[value="down"]').textContent();
    assert(/unreachable/.test(down), `the down host's entry: ${down}`);
});

await test("the pool and network pickers offer the default host's allowed pool and network", async () => {
    await page.click("#add-disk");
    await page.click("#add-net");
    assert(await page.getAttribute(".disk-source", "list") === "pool-list", "the disk source is no pool picker");
    assert(await page.getAttribute(".net-name", "list") === "net-list", "the network is no network picker");
    const pool = page.locator('#pool-list option[value="default-pool"]');
    await pool.waitFor({ state: "attached", ...WAIT });
    assert(await pool.getAttribute("data-allowed") === "true", "default-pool is not allowed on default");
    assert(!/needs unrestricted/.test(await pool.textContent()), "an allowed pool is marked unrestricted");
    const net = page.locator('#net-list option[value="default"]');
    assert(await net.getAttribute("data-allowed") === "true", "network default is not allowed on default");
    assert(/1 usable without administrative access/.test(await text("#pool-hint")), await text("#pool-hint"));
});

await test("switching host re-renders for that connection and marks its unlisted pool", async () => {
    await page.check("#scenario-desktop");
    await page.fill("#f-name", "hosts01");
    await page.locator(".disk-source").fill("default-pool");
    await page.locator(".disk-size").fill("1GiB");
    await page.locator("#preview[data-state=ok]").waitFor(WAIT);
    assert(GENERIC.test(await text("#preview-warnings")), "the default host's preview lacks its warning");
    await page.selectOption("#f-host", "second");
    await page.waitForFunction((re) => document.querySelector("#preview").dataset.state === "ok" &&
        !new RegExp(re).test(document.querySelector("#preview-warnings").textContent), GENERIC.source, WAIT);
    const pool = page.locator('#pool-list option[value="default-pool"][data-allowed="false"]');
    await pool.waitFor({ state: "attached", ...WAIT });
    assert(/needs unrestricted access/.test(await pool.textContent()), await pool.textContent());
    assert(/0 usable without administrative access/.test(await text("#net-hint")), await text("#net-hint"));
    await page.selectOption("#f-host", "default");
    await page.waitForFunction((re) => document.querySelector("#preview").dataset.state === "ok" &&
        new RegExp(re).test(document.querySelector("#preview-warnings").textContent), GENERIC.source, WAIT);
});

await test("an unlisted pool name is still accepted as free text", async () => {
    await page.locator(".disk-source").fill("nosuch-pool");
    await page.waitForFunction(() => document.querySelector("#preview").dataset.state === "ok" &&
        /nosuch-pool/.test(document.querySelector("#preview-xml").textContent), null, WAIT);
});

await test("a host that cannot list its pools: no suggestions, the hint says so, free text stays", async () => {
    await page.selectOption("#f-host", "down");
    await page.locator("#pool-hint").filter({ hasText: "No list of storage pools" }).waitFor(WAIT);
    assert(await page.locator("#pool-list option").count() === 0, "stale pool suggestions for the down host");
    assert(/connection 'down'/.test(await text("#net-hint")), await text("#net-hint"));
    assert(await page.inputValue(".disk-source") === "nosuch-pool", "the typed pool was lost");
    await page.selectOption("#f-host", "default");
    await page.locator('#pool-list option[value="default-pool"]').waitFor({ state: "attached", ...WAIT });
});

await test("Define goes to the chosen host: libvirt's error names that connection", async () => {
    await page.fill("#f-name", "hosts02");
    for (const host of ["second", "default"]) {
        await page.selectOption("#f-host", host);
        await page.locator("#preview[data-state=ok]").waitFor(WAIT);
        await page.click("#define");
        await page.locator("#define-status.failure").filter({ hasText: `connection '${host}'` }).waitFor(WAIT);
        assert(/nosuch-pool/.test(await text("#define-status")), await text("#define-status"));
    }
});

await finish();
