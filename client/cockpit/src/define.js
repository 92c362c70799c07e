// Define and "Define and start": the rendered description becomes a libvirt domain.
/* global cockpit */
import { call, str } from "./bus.js";
import { privilegedError } from "./access.js";
import { clearErrors, showError } from "./errors.js";
import { connectionOptions } from "./hosts.js";

const $ = (id) => document.getElementById(id);

function machinesInstalled () {
    return !!(cockpit.manifests && cockpit.manifests.machines);
}

function showResult (name, uuid, started) {
    const status = $("define-status");
    status.replaceChildren();
    status.className = "success";
    status.append(`Defined ${name}${started ? " and started it" : ""}: UUID `);
    const code = document.createElement("code");
    code.id = "defined-uuid";
    code.textContent = uuid;
    status.append(code, ".");
    if (machinesInstalled()) {
        const link = document.createElement("a");
        link.href = "#";
        link.textContent = "Open in Virtual machines";
        link.addEventListener("click", (ev) => {
            ev.preventDefault();
            cockpit.jump("/machines#vm?name=" + encodeURIComponent(name) + "&connection=system");
        });
        status.append(" ", link);
    }
}

function setBusy (busy) {
    for (const id of ["define", "define-start"]) $(id).disabled = busy;
}

// define(text, start): start is "" (only define) or "running".
export async function define (text, start) {
    const status = $("define-status");
    status.className = "";
    $("form-error").hidden = true;
    const options = { ...connectionOptions(), ...(start ? { start: str(start) } : {}) };
    setBusy(true);
    status.textContent = "Defining: creating storage and the domain…";
    try {
        const [name, uuid] = await call("Define", "sa{sv}", [text, options]);
        showResult(name, uuid, !!start);
    } catch (error) {
        clearErrors();
        const onField = error.name && !/AccessDenied|NotAuthorized/.test(error.name) && showError(error);
        status.className = "failure";
        status.textContent = onField ? "Not defined: see the form." : privilegedError(error);
    } finally {
        setBusy(false);
    }
}
