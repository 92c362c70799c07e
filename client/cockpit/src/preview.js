// The live preview: Render on every change, debounced; only the answer to the latest
// request is shown (an older, slower answer arriving later is dropped).
import { call } from "./bus.js";
import { clearErrors, showError } from "./errors.js";
import { connectionOptions } from "./hosts.js";

const $ = (id) => document.getElementById(id);
const DEBOUNCE_MS = 300;

let timer = null;
let latest = 0;

function showWarnings (warnings) {
    const box = $("preview-warnings");
    box.replaceChildren();
    for (const text of warnings) {
        const p = document.createElement("p");
        p.className = "warning";
        p.textContent = text;
        box.append(p);
    }
}

function showProvenance (rows) {
    const body = $("provenance").tBodies[0];
    body.replaceChildren();
    for (const [key, value, layer] of rows) {
        const tr = body.insertRow();
        tr.dataset.key = key;
        tr.className = layer === "user" ? "layer-user" : "";
        tr.insertCell().textContent = key;
        tr.insertCell().textContent = value;
        const cell = tr.insertCell();
        cell.textContent = layer;
        if (layer === "user") {
            const mark = document.createElement("span");
            mark.className = "badge";
            mark.textContent = "yours";
            cell.append(" ", mark);
        }
    }
}

async function render (text, serial) {
    try {
        const [xml, provenance, warnings] = await call("Render", "sa{sv}", [text, connectionOptions()]);
        if (serial !== latest) return;
        clearErrors();
        $("preview-xml").textContent = xml;
        showProvenance(provenance);
        showWarnings(warnings);
        $("preview").dataset.state = "ok";
        $("preview-state").textContent = "";
    } catch (error) {
        if (serial !== latest) return;
        clearErrors();
        showError(error);
        $("preview").dataset.state = "error";
        $("preview-state").textContent = "(not rendered: see the form)";
    }
}

// schedule(text): renders `text` once the user paused typing.
export function schedule (text) {
    const serial = ++latest;
    $("preview").dataset.state = "pending";
    clearTimeout(timer);
    timer = setTimeout(() => render(text, serial), DEBOUNCE_MS);
}
