// The Confidential computing panel: GetSevInfo as a readable summary.
import { call } from "./bus.js";
import { connectionOptions } from "./hosts.js";

const $ = (id) => document.getElementById(id);

const LABELS = [
    ["sev-es", "SEV-ES (encrypted register state)", v => v ? "available" : "not available"],
    ["max-guests", "SEV guests at once", String],
    ["max-es-guests", "SEV-ES guests at once", String],
    ["cbitpos", "C-bit position", String],
    ["reduced-phys-bits", "Reduced physical address bits", String],
    ["source", "Read from", v => v === "node" ? "the platform (virNodeGetSEVInfo)" : "domain capabilities only"],
    ["pdh", "Platform Diffie-Hellman key (PDH)", v => `${atobLength(v)} bytes`],
    ["cert-chain", "Certificate chain", v => `${atobLength(v)} bytes`],
];

function atobLength (b64) {
    try { return atob(b64).length } catch (e) { return "?" }
}

export async function showSev () {
    const box = $("sev-summary");
    try {
        const [info] = await call("GetSevInfo", "a{sv}", [connectionOptions()]);
        const value = (key) => info[key] && info[key].v;
        box.replaceChildren();
        if (!value("supported")) {
            box.dataset.state = "unsupported";
            box.textContent = "AMD SEV is not available on this host: confidential VMs (the securevm " +
                "scenario) cannot run here.";
            return;
        }
        box.dataset.state = "supported";
        const p = document.createElement("p");
        p.textContent = "AMD SEV is available: the securevm scenario can encrypt guest memory.";
        const dl = document.createElement("dl");
        for (const [key, label, show] of LABELS) {
            if (info[key] === undefined) continue;
            const dt = document.createElement("dt");
            dt.textContent = label;
            const dd = document.createElement("dd");
            dd.textContent = show(value(key));
            dl.append(dt, dd);
        }
        box.append(p, dl);
    } catch (error) {
        box.dataset.state = "error";
        box.textContent = error.name && /UnknownMethod/.test(error.name)
            ? "Not available on this host: this virtuned cannot report SEV."
            : `Not available on this host (${error.message}).`;
    }
}
