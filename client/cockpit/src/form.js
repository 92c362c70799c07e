// The New VM form <-> a description object (the YAML document virtuned reads). Empty
// fields are left out so the scenarios' values apply.

const $ = (id) => document.getElementById(id);

const DISK_KINDS = [
    ["pool", "New volume in pool"],
    ["volume", "Existing volume (pool/name)"],
    ["cdrom", "CD-ROM (pool/name)"],
];

// The form's choice fields: [description key, label, [value, text]...]; "" keeps the
// scenario's value.
const ON_OFF = [["true", "on"], ["false", "off"]];
const CHOICE_FIELDS = [
    ["graphics", "Graphics", [["spice", "spice"], ["vnc", "vnc"], ["none", "none"]]],
    ["firmware", "Firmware", [["auto", "auto"], ["bios", "bios"], ["efi", "efi"]]],
    ["secure_boot", "Secure boot", ON_OFF],
    ["tpm", "TPM", ON_OFF],
];

// field(container, key, label, control): a labelled control with the error line the
// daemon's messages land on; data-key holds the key paths that name it.
function field (container, key, text, control) {
    const wrap = document.createElement("div");
    wrap.className = "field";
    wrap.dataset.key = FIELD_PATHS[key] || `${key} guest.${key}`;
    control.id = "f-" + key.replace("_", "-");
    control.name = key;
    const label = document.createElement("label");
    label.htmlFor = control.id;
    label.textContent = text;
    const error = document.createElement("p");
    error.className = "error";
    error.hidden = true;
    wrap.append(label, control, error);
    $(container).append(wrap);
    return wrap;
}

// Key paths in the daemon's errors other than KEY and guest.KEY.
const FIELD_PATHS = { name: "name", os: "os", vcpus: "vcpus guest.vcpus cpu cpu.topology" };

const TEXT_FIELDS = [
    ["identity-fields", "name", "Name", "web01"],
    ["identity-fields", "os", "Operating system", "short-id, e.g. fedora37"],
    ["size-fields", "vcpus", "vCPUs", "from the scenario"],
    ["size-fields", "memory", "Memory", "e.g. 4GiB"],
];

export function buildFields () {
    for (const [container, key, text, placeholder] of TEXT_FIELDS)
        field(container, key, text, input("", "", placeholder));
    $("f-os").setAttribute("list", "os-list");
    $("f-vcpus").inputMode = "numeric";
    const hint = document.createElement("p");
    hint.id = "os-hint";
    hint.className = "hint";
    $("f-os").after(hint);
    for (const [key, text, options] of CHOICE_FIELDS) {
        const select = document.createElement("select");
        select.add(new Option("from the scenario", ""));
        for (const [value, label] of options) select.add(new Option(label, value));
        field("choice-fields", key, text, select);
    }
}

let rowSerial = 0;

function labelled (text, control) {
    const id = "row-" + (++rowSerial);
    control.id = id;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = text;
    const wrap = document.createElement("span");
    wrap.className = "cell";
    wrap.append(label, control);
    return wrap;
}

function input (cls, value, placeholder) {
    const el = document.createElement("input");
    el.className = cls;
    el.value = value || "";
    el.placeholder = placeholder || "";
    el.autocomplete = "off";
    return el;
}

function removeButton (row, what, onChange) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary small";
    button.textContent = "Remove";
    button.setAttribute("aria-label", "Remove " + what);
    button.addEventListener("click", () => { row.remove(); onChange() });
    return button;
}

function errorLine () {
    const p = document.createElement("p");
    p.className = "error";
    p.hidden = true;
    return p;
}

// Rows carry the key path the daemon names in its errors (disks[0], networks[1], ...).
function numberRows (selector, key) {
    document.querySelectorAll(selector).forEach((row, i) => { row.dataset.key = `${key}[${i}]` });
}

export function addDiskRow (disk, onChange) {
    const rows = $("disk-rows");
    const index = rows.children.length + 1;
    const row = document.createElement("div");
    row.className = "subrow disk-row";
    const kind = document.createElement("select");
    kind.className = "disk-kind";
    for (const [value, text] of DISK_KINDS)
        kind.add(new Option(text, value));
    const found = DISK_KINDS.find(([k]) => disk && disk[k] !== undefined);
    kind.value = found ? found[0] : "pool";
    const source = input("disk-source", found ? disk[found[0]] : "default", "pool or pool/volume");
    const size = input("disk-size", disk && disk.size, "size, e.g. 20GiB");
    // A new volume names a pool: the host's pools are offered (hosts.js fills the list).
    const showSize = () => {
        size.parentElement.hidden = kind.value !== "pool";
        if (kind.value === "pool") source.setAttribute("list", "pool-list");
        else source.removeAttribute("list");
    };
    row.append(labelled(`Disk ${index} kind`, kind), labelled(`Disk ${index} source`, source),
               labelled(`Disk ${index} size`, size), removeButton(row, `disk ${index}`, onChange),
               errorLine());
    kind.addEventListener("change", showSize);
    rows.append(row);
    showSize();
    onChange();
}

export function addNetRow (net, onChange) {
    const rows = $("net-rows");
    const index = rows.children.length + 1;
    const row = document.createElement("div");
    row.className = "subrow net-row";
    const name = input("net-name", net ? net.network : "default", "libvirt network");
    name.setAttribute("list", "net-list");
    const mac = input("net-mac", net && net.mac, "MAC (optional)");
    row.append(labelled(`Network ${index}`, name), labelled(`Network ${index} MAC`, mac),
               removeButton(row, `network ${index}`, onChange), errorLine());
    rows.append(row);
    onChange();
}

function readDisks () {
    numberRows(".disk-row", "disks");
    return [...document.querySelectorAll(".disk-row")].map(row => {
        const kind = row.querySelector(".disk-kind").value;
        const disk = { [kind]: row.querySelector(".disk-source").value.trim() };
        const size = row.querySelector(".disk-size").value.trim();
        if (kind === "pool" && size) disk.size = size;
        return disk;
    });
}

function readNets () {
    numberRows(".net-row", "networks");
    return [...document.querySelectorAll(".net-row")].map(row => {
        const net = { network: row.querySelector(".net-name").value.trim() };
        const mac = row.querySelector(".net-mac").value.trim();
        if (mac) net.mac = mac;
        return net;
    });
}

// A number when the text is a plain decimal, else the text (the daemon names what is wrong).
function numberOrText (text) {
    return /^[1-9]\d{0,9}$/.test(text) ? Number(text) : text;
}

// readForm(scenarios, advanced): the description as an object, in the documented key order.
export function readForm (scenarios, advanced) {
    const d = {};
    const text = (id) => $(id).value.trim();
    if (text("f-name")) d.name = text("f-name");
    if (scenarios.length) d.scenario = scenarios.length === 1 ? scenarios[0] : scenarios.slice();
    if (text("f-os")) d.os = text("f-os");
    if (text("f-vcpus")) d.vcpus = numberOrText(text("f-vcpus"));
    if (text("f-memory")) d.memory = numberOrText(text("f-memory"));
    const disks = readDisks();
    if (disks.length) d.disks = disks;
    const nets = readNets();
    if (nets.length) d.networks = nets;
    if (text("f-graphics")) d.graphics = text("f-graphics");
    if (text("f-firmware")) d.firmware = text("f-firmware");
    if (text("f-secure-boot")) d.secure_boot = text("f-secure-boot") === "true";
    if (text("f-tpm")) d.tpm = text("f-tpm") === "true";
    if (Object.keys(advanced).length) d.settings = advanced;
    return d;
}

const KNOWN = ["name", "scenario", "os", "vcpus", "memory", "disks", "networks", "graphics",
    "firmware", "secure_boot", "tpm", "settings"];

function choice (value) {
    if (value === undefined || value === null) return "";
    return String(value);
}

// fillForm(description, onChange): the form shows an imported description. Returns the
// scenario list and the settings map for the caller's own widgets; keys the form has no
// place for are an error rather than silently dropped.
export function fillForm (d, onChange) {
    if (d === null || typeof d !== "object" || Array.isArray(d))
        throw new Error("the file is not a description (a YAML map)");
    const unknown = Object.keys(d).filter(k => !KNOWN.includes(k));
    if (unknown.length)
        throw new Error(`the form cannot hold ${unknown.join(", ")}; use vscenctl for this file`);
    for (const disk of d.disks || []) {
        if (!DISK_KINDS.some(([k]) => disk && disk[k] !== undefined))
            throw new Error("the form holds pool, volume and CD-ROM disks only; use vscenctl for this file");
    }
    for (const net of d.networks || []) {
        if (!net || net.network === undefined)
            throw new Error("the form holds libvirt networks only; use vscenctl for this file");
    }
    $("f-name").value = choice(d.name);
    $("f-os").value = choice(d.os);
    $("f-vcpus").value = choice(d.vcpus);
    $("f-memory").value = choice(d.memory);
    $("f-graphics").value = choice(d.graphics);
    $("f-firmware").value = choice(d.firmware);
    $("f-secure-boot").value = d.secure_boot === undefined ? "" : String(!!d.secure_boot);
    $("f-tpm").value = d.tpm === undefined ? "" : String(!!d.tpm);
    $("disk-rows").replaceChildren();
    for (const disk of d.disks || []) addDiskRow(disk, onChange);
    $("net-rows").replaceChildren();
    for (const net of d.networks || []) addNetRow(net, onChange);
    const scenarios = d.scenario === undefined ? [] : [].concat(d.scenario).map(String);
    return { scenarios, settings: d.settings || {} };
}
