// A daemon error beside the form field it names. virtuned's messages start with the key
// path ("disks[0].size (line 4, column 11): ...", "guest.firmware: ...") or name policies
// ("policies 'a' and 'b' cannot be combined", "unknown scenario 'x'").
import { errorKind } from "./bus.js";

const LEADING_PATH = /^([A-Za-z_][\w.-]*(?:\[\d+\][\w.-]*)*)(?: \(line \d+|:)/;

// Candidate data-key values for a path, most specific first: the path, then shorter
// prefixes; "settings.X" is also the advanced row X.
export function candidates (path) {
    const list = [];
    let rest = path;
    while (rest) {
        list.push(rest);
        if (rest.startsWith("settings.")) list.push(rest.slice("settings.".length));
        const cut = Math.max(rest.lastIndexOf("."), rest.lastIndexOf("["));
        rest = cut > 0 ? rest.slice(0, cut) : "";
    }
    return list;
}

function errorPath (error) {
    const kind = errorKind(error);
    const message = error.message || "";
    if (kind === "UnknownScenario" || /^policies '/.test(message)) return "scenario";
    const match = LEADING_PATH.exec(message);
    return match ? match[1] : null;
}

function fieldFor (path) {
    for (const key of candidates(path)) {
        const escaped = CSS.escape(key);
        const el = document.querySelector(`[data-key~="${escaped}"]`);
        if (el && el.querySelector(".error")) return el;
    }
    return null;
}

export function clearErrors () {
    // Field errors and the general one; not the Define and import results beside the buttons.
    for (const p of document.querySelectorAll("#vm-form .field .error, #form-error")) {
        p.hidden = true;
        p.textContent = "";
    }
    for (const el of document.querySelectorAll("#vm-form [aria-invalid]"))
        el.removeAttribute("aria-invalid");
}

// showError(error): returns the field element the error landed on, or null (then the
// message is shown under the form).
export function showError (error) {
    const path = errorPath(error);
    const field = path ? fieldFor(path) : null;
    const target = field ? field.querySelector(".error") : document.getElementById("form-error");
    target.textContent = error.message || String(error);
    target.hidden = false;
    if (field) {
        // The error of a table row sits in its value cell; that cell's control is invalid.
        const control = target.parentElement.querySelector("input, select") ||
                        field.querySelector("input, select");
        if (control) {
            control.setAttribute("aria-invalid", "true");
            if (!target.id) target.id = "err-" + Math.random().toString(36).slice(2);
            control.setAttribute("aria-describedby", target.id);
        }
        if (field.closest("details")) field.closest("details").open = true;
    }
    return field;
}
