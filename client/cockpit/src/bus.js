// The only way this plugin reaches virtuned: org.virtscenario.Manager on the system bus
// through cockpit.dbus. Signatures are given explicitly so cockpit needs no introspection.
/* global cockpit */

const NAME = "org.virtscenario.Manager";
const PATH = "/org/virtscenario/Manager";

let client = null;

export function manager () {
    if (!client)
        client = cockpit.dbus(NAME, { bus: "system", superuser: "try" });
    return client;
}

// call(method, signature, args): resolves to the reply's arguments; flags "i" lets polkit
// ask the user to authenticate (interactive authorization).
export function call (method, signature, args) {
    return manager().call(PATH, NAME, method, args || [], { type: signature, flags: "i" });
}

// A variant for an a{sv} option map.
export const bool = (value) => ({ t: "b", v: value });
export const str = (value) => ({ t: "s", v: value });

export function property (name) {
    return manager().call(PATH, "org.freedesktop.DBus.Properties", "Get", [NAME, name],
                          { type: "ss" }).then(([variant]) => variant.v);
}

// onSignal(name, handler(args)): follows one of the manager's signals.
export function onSignal (signal, handler) {
    return manager().subscribe({ interface: NAME, path: PATH, member: signal },
                               (_path, _iface, _member, args) => handler(args));
}

export function onPropertiesChanged (handler) {
    return manager().subscribe({ interface: "org.freedesktop.DBus.Properties", path: PATH,
                                 member: "PropertiesChanged" },
                               (_p, _i, _m, args) => handler(args[1] || {}));
}

// The short D-Bus error name, e.g. "InvalidDescription", "AccessDenied".
export function errorKind (error) {
    const name = (error && error.name) || "";
    return name.slice(name.lastIndexOf(".") + 1);
}
