// Define and "Define and start": the rendered description becomes a libvirt domain.
/* global cockpit */
import { call, str } from "./bus.js";
import { privilegedError } from "./access.js";
import { clearErrors, showError } from "./errors.js";
import { connectionOptions, connectionUri } from "./hosts.js";

const $ = (id) => document.getElementById(id);

// cockpit-machines shows the domains of this machine's qemu:///system (its "system"
// connection, through libvirt-dbus on the system bus), nothing of other connections.
const MACHINES_URI = /^qemu(\+unix)?:\/\/\/system(\?.*)?$/;

function machinesInstalled () {
    return !!(cockpit.manifests && cockpit.manifests.machines);
}

// The link to the new domain's page in cockpit-machines (its own URL scheme:
// #vm?name=NAME&connection=system), or the sentence saying why there is none; null
// without cockpit-machines. uri: the connection Define was called for.
function machinesLink (name, uri) {
    if (!machinesInstalled()) return null;
    if (!MACHINES_URI.test(uri)) {
        const where = uri ? `on ${uri}` : "on a connection virtuned does not name";
        const note = document.createElement("span");
        note.id = "machines-note";
        note.className = "hint";
        note.textContent = `Virtual machines shows only this machine's qemu:///system; ${name} is ${where}.`;
        return note;
    }
    const link = document.createElement("a");
    link.id = "machines-link";
    link.href = "#";
    link.textContent = "Open in Virtual machines";
    link.addEventListener("click", (ev) => {
        ev.preventDefault();
        cockpit.jump("/machines#vm?name=" + encodeURIComponent(name) + "&connection=system");
    });
    return link;
}

function showResult (name, uuid, started, uri) {
    const status = $("define-status");
    status.replaceChildren();
    status.className = "success";
    status.append(`Defined ${name}${started ? " and started it" : ""}: UUID `);
    const code = document.createElement("code");
    code.id = "defined-uuid";
    code.textContent = uuid;
    status.append(code, ".");
    const machines = machinesLink(name, uri);
    if (machines) status.append(" ", machines);
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
    const uri = connectionUri();        // the host may be switched while Define runs
    setBusy(true);
    status.textContent = "Defining: creating storage and the domain…";
    try {
        const [name, uuid] = await call("Define", "sa{sv}", [text, options]);
        showResult(name, uuid, !!start, uri);
    } catch (error) {
        clearErrors();
        const onField = error.name && !/AccessDenied|NotAuthorized/.test(error.name) && showError(error);
        status.className = "failure";
        status.textContent = onField ? "Not defined: see the form." : privilegedError(error);
    } finally {
        setBusy(false);
    }
}
