// Cockpit's "Administrative access" / "Limited access" switch. Defining and tuning need
// privilege; in limited access the page says so instead of showing a raw AccessDenied.
/* global cockpit */
import { errorKind } from "./bus.js";

const $ = (id) => document.getElementById(id);

const NEEDS_ADMIN = "This needs administrative access: switch to \"Administrative access\" " +
    "in Cockpit's top bar, then try again.";

// Cockpit 287 (Debian 12) has no cockpit.superuser object yet: the bridge's internal
// cockpit.Superuser interface tells, in Current, which superuser bridge is active
// ("none" in limited access; "init" while starting). A root session is never limited.
let current = null;

export function limited () {
    return current === "none";
}

export function watchAccess () {
    const proxy = cockpit.dbus(null, { bus: "internal" }).proxy("cockpit.Superuser", "/superuser");
    const show = () => {
        current = proxy.valid ? proxy.Current : null;
        const banner = $("access-status");
        banner.hidden = !limited();
        banner.textContent = "Limited access: you can preview VMs and check the host; defining VMs " +
            "and tuning the host usually need administrative access.";
        document.body.dataset.access = limited() ? "limited" : "admin";
    };
    proxy.addEventListener("changed", show);
    proxy.wait(show);
}

// The message to show for a failed privileged call.
export function privilegedError (error) {
    const kind = errorKind(error);
    if (kind === "AccessDenied" || kind === "NotAuthorized" || error.problem === "access-denied")
        return NEEDS_ADMIN + (error.message ? ` (virtuned: ${error.message})` : "");
    return error.message || String(error);
}
