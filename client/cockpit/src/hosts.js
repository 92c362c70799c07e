// Which libvirt host the New VM form is for, and what that host offers: a host selector
// filled from ListConnections (shown only when virtuned.conf names more than one), and
// the pools and networks of the chosen host as suggestions in the disk and network rows
// (ListPools, ListNetworks). A daemon without these methods leaves the form as it was:
// no selector, free text only.
import { call, str } from "./bus.js";

const $ = (id) => document.getElementById(id);
const UNRESTRICTED = "needs unrestricted access";

let host = "";      // "": the daemon's default connection, without naming it
let connections = [];   // ListConnections' rows, the default first; [] from an older daemon

// The option every domain method takes for the chosen host (none for the default).
export function connectionOptions () {
    return host ? { connection: str(host) } : {};
}

// The libvirt URI of the chosen host (the default one: the first row), or "" when the
// daemon does not say (no ListConnections).
export function connectionUri () {
    const row = host ? connections.find(([name]) => name === host) : connections[0];
    return row ? row[1] : "";
}

// Allowed ones first (the daemon sends them so; an older order is fixed here too).
function fillList (list, rows) {
    list.replaceChildren();
    for (const [name, active, allowed] of [...rows].sort((a, b) => b[2] - a[2])) {
        const notes = [allowed ? "" : UNRESTRICTED, active ? "" : "inactive"].filter(Boolean);
        const option = new Option(notes.length ? `${name} (${notes.join(", ")})` : name, name);
        option.dataset.allowed = String(allowed);
        list.append(option);
    }
}

async function loadList (method, list, hint, what) {
    try {
        const [rows] = await call(method, "a{sv}", [connectionOptions()]);
        fillList(list, rows);
        const allowed = rows.filter(row => row[2]).length;
        const count = rows.length === 1 ? `1 ${what.replace(/s$/, "")}` : `${rows.length} ${what}`;
        hint.textContent = `${count} on this host, ${allowed} usable without ` +
            "administrative access; other names are typed freely.";
    } catch (error) {
        list.replaceChildren();
        hint.textContent = `No list of ${what} (${error.message}); type a name.`;
    }
}

export function loadPickers () {
    return Promise.all([
        loadList("ListPools", $("pool-list"), $("pool-hint"), "storage pools"),
        loadList("ListNetworks", $("net-list"), $("net-hint"), "networks"),
    ]);
}

function fillSelector (rows) {
    const select = $("f-host");
    select.replaceChildren();
    for (const [name, uri, reachable] of rows)
        select.add(new Option(`${name} — ${uri}${reachable ? "" : " (unreachable)"}`, name));
    host = select.value;
    $("vm-host-field").hidden = false;
}

// setupHosts(onChange): the selector, then the pickers for the chosen host; onChange
// re-renders the preview when the user picks another host.
export async function setupHosts (onChange) {
    let rows = [];
    try {
        [rows] = await call("ListConnections", "", []);
    } catch (error) {
        rows = [];      // an older virtuned: one host, the default
    }
    connections = rows;
    if (rows.length > 1) fillSelector(rows);
    $("f-host").addEventListener("change", async () => {
        host = $("f-host").value;
        onChange();
        await loadPickers();
    });
    await loadPickers();
}
