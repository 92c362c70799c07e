// Wires the pages together: tabs, the New VM form and its preview, the Host and
// Confidential computing pages, export and import.
/* global cockpit */
import { call } from "./bus.js";
import { conflictingPairs, loadScenarios, makePicker } from "./scenarios.js";
import { checkSettings, fillSettings, loadCatalog, readSettings } from "./catalog.js";
import { addDiskRow, addNetRow, buildFields, fillForm, readForm } from "./form.js";
import { schedule } from "./preview.js";
import { define } from "./define.js";
import { setupHosts } from "./hosts.js";
import { setupHost } from "./host.js";
import { showSev } from "./sev.js";
import { watchAccess } from "./access.js";
import { followTheme } from "./theme.js";
import { dump, parse } from "./yaml.js";

const $ = (id) => document.getElementById(id);
let vmPicker = null;

function descriptionText () {
    return dump(readForm(vmPicker ? vmPicker.get() : [], readSettings()));
}

function changed () {
    schedule(descriptionText());
}

function showScenarioChoice (picked) {
    $("scenario-order").textContent = picked.length
        ? "Applied in this order: default → " + picked.join(" → ") + " → your values"
        : "No scenario: the defaults and your values.";
    const pairs = conflictingPairs(picked);
    const box = $("scenario-conflicts");
    box.hidden = pairs.length === 0;
    box.textContent = pairs.map(([a, b]) => `${a} and ${b} cannot be combined.`).join(" ");
    changed();
}

// --- tabs (arrow keys move between them, as the ARIA tabs pattern says) ---------------

function selectTab (tab) {
    for (const t of document.querySelectorAll("[role=tab]")) {
        const on = t === tab;
        t.setAttribute("aria-selected", String(on));
        t.tabIndex = on ? 0 : -1;
        $(t.getAttribute("aria-controls")).hidden = !on;
    }
    tab.focus();
    cockpit.location.go([tab.id.slice(4)]);
}

function setupTabs () {
    const tabs = [...document.querySelectorAll("[role=tab]")];
    tabs.forEach((tab, i) => {
        tab.addEventListener("click", () => selectTab(tab));
        tab.addEventListener("keydown", (ev) => {
            const step = { ArrowRight: 1, ArrowLeft: -1 }[ev.key];
            if (step) selectTab(tabs[(i + step + tabs.length) % tabs.length]);
        });
    });
    const wanted = $("tab-" + (cockpit.location.path[0] || "newvm"));
    if (wanted && wanted.id !== "tab-newvm") selectTab(wanted);
}

// --- export / import -----------------------------------------------------------------

function exportYaml () {
    const text = descriptionText();
    const name = ($("f-name").value.trim() || "description") + ".yaml";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/yaml" }));
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(link.href);
}

async function importYaml (file) {
    const status = $("import-status");
    status.className = "";
    try {
        if (file.size > 65536) throw new Error("larger than the 64 KiB virtuned accepts");
        const description = parse(await file.text());
        if (description === null || typeof description !== "object" || Array.isArray(description))
            throw new Error("the file is not a description (a YAML map)");
        // Everything is checked before the form changes: a refused file leaves it as it was.
        checkSettings((description && description.settings) || {});
        vmPicker.check([].concat(description.scenario || []).map(String));
        const { scenarios, settings } = fillForm(description, changed);
        fillSettings(settings);
        vmPicker.set(scenarios);
        status.textContent = `Imported ${file.name}.`;
    } catch (error) {
        status.className = "failure";
        status.textContent = `Cannot import ${file.name}: ${error.message}`;
    }
    changed();
}

// --- start ---------------------------------------------------------------------------

async function loadOperatingSystems () {
    try {
        const [oses] = await call("ListOperatingSystems", "s", [""]);
        const list = $("os-list");
        for (const [id, name, , released, eol] of oses) {
            const label = `${name}${released ? ", " + released.slice(0, 4) : ""}${eol ? " (end of life)" : ""}`;
            list.append(new Option(label, id));
        }
        $("os-hint").textContent = `${oses.length} operating systems known; type to search.`;
    } catch (error) {
        $("os-hint").textContent = "This virtuned offers no OS list; type a libosinfo short-id.";
    }
}

async function start () {
    followTheme();
    buildFields();
    setupTabs();
    watchAccess();
    $("vm-form").addEventListener("input", changed);
    $("vm-form").addEventListener("submit", (ev) => ev.preventDefault());
    $("add-disk").addEventListener("click", () => addDiskRow(null, changed));
    $("add-net").addEventListener("click", () => addNetRow(null, changed));
    $("define").addEventListener("click", () => define(descriptionText(), ""));
    $("define-start").addEventListener("click", () => define(descriptionText(), "running"));
    $("export").addEventListener("click", exportYaml);
    $("import").addEventListener("change", (ev) => {
        if (ev.target.files[0]) importYaml(ev.target.files[0]);
        ev.target.value = "";
    });
    try {
        await loadScenarios();
    } catch (error) {
        $("daemon-status").hidden = false;
        $("daemon-status").textContent = `virtuned is not reachable on the system bus: ${error.message}`;
        return;
    }
    vmPicker = makePicker($("scenario-list"), "scenario", showScenarioChoice);
    setupHost(makePicker);
    showSev();
    await Promise.all([loadCatalog(changed).catch(error => {
        $("advanced").querySelector(".hint").textContent = `The settings catalog is missing: ${error.message}`;
    }), loadOperatingSystems(), setupHosts(changed)]);
    document.body.dataset.ready = "true";
    showScenarioChoice([]);
}

start();
