// Follows Cockpit's theme switch: the shell stores "shell:style" (light, dark or auto) in
// localStorage and announces a change with a "cockpit-style" event; "auto" (or no shell)
// leaves the choice to prefers-color-scheme in style.css.

function apply (style) {
    const root = document.documentElement;
    root.classList.toggle("dark", style === "dark");
    root.classList.toggle("light", style === "light");
}

export function followTheme () {
    const stored = () => { try { return localStorage.getItem("shell:style") } catch (e) { return null } };
    apply(stored());
    window.addEventListener("storage", (ev) => { if (ev.key === "shell:style") apply(ev.newValue) });
    window.addEventListener("cockpit-style", (ev) => apply(ev.detail && ev.detail.style));
}
