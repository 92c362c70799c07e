// The Host page: CheckHost's table, Tune (a dry run shown first, then confirmed), Revert,
// and the TunedScenarios property and HostChanged signal kept live.
import { bool, call, onPropertiesChanged, onSignal, property } from "./bus.js";
import { privilegedError } from "./access.js";

const $ = (id) => document.getElementById(id);
let picker = null;

function fillTable (id, rows, render) {
    const body = $(id).tBodies[0];
    body.replaceChildren();
    for (const row of rows) {
        const tr = body.insertRow();
        tr.dataset.setting = row[0];
        render(row).forEach(text => { tr.insertCell().textContent = text });
        if (row.length === 4) tr.className = row[3] ? "ok" : "not-ok";
    }
}

function status (text, isError) {
    $("host-status").textContent = isError ? "" : text;
    $("host-error").hidden = !isError;
    $("host-error").textContent = isError ? text : "";
}

let latestCheck = 0;

// CheckHost for the picked scenarios; only the latest request's answer is shown.
async function check () {
    const serial = ++latestCheck;
    try {
        // Host tuning is this machine's: never the host selector's connection.
        const [rows] = await call("CheckHost", "asa{sv}", [picker.get(), {}]);
        if (serial !== latestCheck) return;
        // An empty wanted value: none of the picked scenarios asks for this setting.
        fillTable("host-check-table", rows,
                  ([s, cur, want, ok]) => [s, cur, want || "not asked for", ok ? "yes" : "no"]);
        $("host-check-table").dataset.state = "ok";
        $("host-summary").textContent =
            `${rows.filter(r => !r[3]).length} of ${rows.length} settings differ from what the scenarios want.`;
    } catch (error) {
        if (serial === latestCheck) status(error.message, true);
    }
}

async function dryRun () {
    if (!picker.get().length) { status("Pick at least one scenario to tune for.", true); return }
    try {
        const [changes] = await call("TuneHost", "asa{sv}", [picker.get(), { "dry-run": bool(true) }]);
        fillTable("host-dry-run", changes, (c) => c);
        $("host-confirm").hidden = false;
        $("host-confirm-yes").disabled = changes.length === 0;
        $("host-confirm-yes").focus();
        status(changes.length ? "" : "The host already has these settings.");
    } catch (error) {
        status(error.message, true);
    }
}

async function tune () {
    $("host-confirm").hidden = true;
    try {
        const options = { persistent: bool($("host-persistent").checked) };
        const [changes] = await call("TuneHost", "asa{sv}", [picker.get(), options]);
        status(`Tuned: ${changes.length} settings changed.`);
        await check();
    } catch (error) {
        status(privilegedError(error), true);
    }
}

async function revert () {
    try {
        const [changes] = await call("RevertHost", "a{sv}", [{}]);
        status(`Reverted: ${changes.length} settings restored.`);
        await check();
    } catch (error) {
        status(privilegedError(error), true);
    }
}

function showTuned (names) {
    $("tuned-scenarios").textContent = names.length ? names.join(", ") : "nothing";
}

function logChanges (changes) {
    const list = $("host-changes");
    for (const [setting, from, to] of changes) {
        const li = document.createElement("li");
        li.textContent = `${new Date().toLocaleTimeString()}: ${setting} ${from} → ${to}`;
        list.prepend(li);
    }
    while (list.children.length > 50) list.lastChild.remove();
}

export function setupHost (makePicker) {
    picker = makePicker($("host-scenario-list"), "host-scenario", () => check());
    $("host-check").addEventListener("click", check);
    $("host-tune").addEventListener("click", dryRun);
    $("host-confirm-yes").addEventListener("click", tune);
    $("host-confirm-no").addEventListener("click", () => { $("host-confirm").hidden = true });
    $("host-revert").addEventListener("click", revert);
    property("TunedScenarios").then(showTuned, () => {});
    onPropertiesChanged((changed) => {
        if (changed.TunedScenarios) showTuned(changed.TunedScenarios.v);
    });
    // Another client (vscenctl, another browser) tuning the host updates this page.
    onSignal("HostChanged", ([changes]) => {
        logChanges(changes);
        property("TunedScenarios").then(showTuned, () => {});
        check();
    });
    check();
}
