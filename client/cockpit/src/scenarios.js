// Scenario pickers: the policies from ListScenarios with their summaries, kept in the order
// the user picks them (later layers win), and the conflicts their policies declare
// (DescribeScenario's `conflicts:`) shown before anything is submitted.
import { call } from "./bus.js";
import { parse } from "./yaml.js";

let known = [];            // [[name, summary]]
const conflicts = {};      // name -> [names it conflicts with]

export async function loadScenarios () {
    [known] = await call("ListScenarios", "", []);
    await Promise.all(known.map(async ([name]) => {
        try {
            const [policy] = await call("DescribeScenario", "s", [name]);
            const parsed = parse(policy);
            conflicts[name] = [].concat(parsed.conflicts || []).map(String);
        } catch (e) {
            conflicts[name] = [];   // the daemon still reports a conflict when rendering
        }
    }));
    return known;
}

// The pairs among `picked` that conflict, each once, in pick order.
export function conflictingPairs (picked) {
    const pairs = [];
    picked.forEach((a, i) => picked.slice(i + 1).forEach(b => {
        if ((conflicts[a] || []).includes(b) || (conflicts[b] || []).includes(a))
            pairs.push([a, b]);
    }));
    return pairs;
}

// A picker in `container`; onChange(picked) after every change. Returns {get, set}.
export function makePicker (container, idPrefix, onChange) {
    let picked = [];
    const boxes = {};
    for (const [name, summary] of known) {
        const row = document.createElement("div");
        row.className = "check";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.id = `${idPrefix}-${name}`;
        box.value = name;
        const label = document.createElement("label");
        label.htmlFor = box.id;
        label.innerHTML = "<strong></strong> <span class='hint'></span>";
        label.firstChild.textContent = name;
        label.lastChild.textContent = summary;
        box.addEventListener("change", () => {
            picked = box.checked ? picked.concat(name) : picked.filter(n => n !== name);
            onChange(picked.slice());
        });
        boxes[name] = box;
        row.append(box, label);
        container.append(row);
    }
    const check = (names) => {
        const unknown = names.filter(n => !boxes[n]);
        if (unknown.length) throw new Error(`unknown scenarios: ${unknown.join(", ")}`);
    };
    return {
        get: () => picked.slice(),
        check,
        set: (names) => {
            check(names);
            picked = names.slice();
            for (const name in boxes) boxes[name].checked = picked.includes(name);
            onChange(picked.slice());
        },
    };
}
