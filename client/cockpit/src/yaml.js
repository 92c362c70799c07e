// The small YAML subset a description file uses: block maps and lists, flow lists and
// maps of scalars, comments, quoted strings. Enough to import what Export writes and what
// people write by hand for vscenctl; anchors, aliases and multi-line scalars (which
// virtuned refuses anyway) are errors here too.

const PLAIN = /^[A-Za-z0-9_./+-][A-Za-z0-9_ ./+@-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|-?\d[\d.]*|0x[0-9a-f]+)$/i;

function scalar (value) {
    if (typeof value === "number" || typeof value === "boolean")
        return String(value);
    const text = String(value);
    if (PLAIN.test(text) && !RESERVED.test(text) && !text.endsWith(" "))
        return text;
    return JSON.stringify(text);
}

function dumpValue (value, indent) {
    const pad = " ".repeat(indent);
    if (Array.isArray(value)) {
        if (value.every(v => typeof v !== "object"))
            return " [" + value.map(scalar).join(", ") + "]\n";
        return "\n" + value.map(item => pad + "-" + dumpMap(item, indent + 2).slice(indent + 1))
            .join("");
    }
    if (value !== null && typeof value === "object")
        return "\n" + dumpMap(value, indent + 2);
    return " " + scalar(value) + "\n";
}

function dumpMap (map, indent) {
    const pad = " ".repeat(indent);
    return Object.keys(map).map(key => pad + scalar(key) + ":" + dumpValue(map[key], indent))
        .join("");
}

export function dump (object) {
    return dumpMap(object, 0);
}

// --- parsing -------------------------------------------------------------------------

function fail (lineNo, message) {
    throw new Error(`line ${lineNo}: ${message}`);
}

function stripComment (text) {
    let quote = null;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === "\\" && quote === '"') i++;
            else if (c === quote) quote = null;
        } else if (c === '"' || c === "'") {
            quote = c;
        } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
            return text.slice(0, i);
        }
    }
    return text;
}

function parseScalar (text, lineNo) {
    const t = text.trim();
    if (t.startsWith('"')) {
        try { return JSON.parse(t) } catch (e) { fail(lineNo, "bad quoted string") }
    }
    if (t.startsWith("'")) {
        if (!t.endsWith("'") || t.length < 2) fail(lineNo, "bad quoted string");
        return t.slice(1, -1).replace(/''/g, "'");
    }
    if (t.startsWith("&") || t.startsWith("*")) fail(lineNo, "anchors and aliases are not accepted");
    if (t.startsWith("|") || t.startsWith(">")) fail(lineNo, "multi-line strings are not accepted");
    if (/^(true|yes|on)$/i.test(t)) return true;
    if (/^(false|no|off)$/i.test(t)) return false;
    if (/^(0|[1-9]\d*)$/.test(t)) return Number(t);
    return t;
}

function splitFlow (inner, lineNo) {
    const parts = [];
    let depth = 0, quote = null, start = 0;
    for (let i = 0; i < inner.length; i++) {
        const c = inner[i];
        if (quote) { if (c === quote) quote = null; continue }
        if (c === '"' || c === "'") quote = c;
        else if (c === "[" || c === "{") depth++;
        else if (c === "]" || c === "}") depth--;
        else if (c === "," && depth === 0) { parts.push(inner.slice(start, i)); start = i + 1 }
    }
    if (quote || depth !== 0) fail(lineNo, "unbalanced flow collection");
    const last = inner.slice(start);
    if (last.trim() !== "" || parts.length) parts.push(last);
    return parts.map(p => p.trim()).filter(p => p !== "");
}

function parseInline (text, lineNo) {
    const t = text.trim();
    if (t.startsWith("[")) {
        if (!t.endsWith("]")) fail(lineNo, "unterminated flow list");
        return splitFlow(t.slice(1, -1), lineNo).map(p => parseInline(p, lineNo));
    }
    if (t.startsWith("{")) {
        if (!t.endsWith("}")) fail(lineNo, "unterminated flow map");
        const map = {};
        for (const part of splitFlow(t.slice(1, -1), lineNo)) {
            const [key, value] = splitKey(part, lineNo);
            map[key] = parseInline(value, lineNo);
        }
        return map;
    }
    return parseScalar(t, lineNo);
}

// "key: value" -> [key, value]; the colon must be followed by a space or the end.
function splitKey (text, lineNo) {
    const match = /^("(?:[^"\\]|\\.)*"|'[^']*'|[^:]+?)\s*:(\s+|$)(.*)$/.exec(text.trim());
    if (!match) fail(lineNo, `expected "key: value", found "${text.trim().slice(0, 40)}"`);
    return [String(parseScalar(match[1], lineNo)), match[3]];
}

function tokenize (text) {
    return text.split(/\r?\n/).map((raw, i) => {
        const body = stripComment(raw);
        if (/\t/.test(body.match(/^\s*/)[0])) fail(i + 1, "tabs are not allowed for indentation");
        return { no: i + 1, indent: body.search(/\S/), text: body.trim() };
    }).filter(line => line.text !== "" && line.text !== "---");
}

// parseBlock(lines, pos, indent): the collection starting at lines[pos] -> [value, next].
function parseBlock (lines, pos, indent) {
    const first = lines[pos];
    return (first.text === "-" || first.text.startsWith("- "))
        ? parseList(lines, pos, indent) : parseMap(lines, pos, indent);
}

function parseValue (lines, pos, rest, parentIndent, lineNo) {
    if (rest.trim() !== "")
        return [parseInline(rest, lineNo), pos];
    if (pos < lines.length && lines[pos].indent > parentIndent)
        return parseBlock(lines, pos, lines[pos].indent);
    // A list may sit at its key's indentation.
    if (pos < lines.length && lines[pos].indent === parentIndent && lines[pos].text.startsWith("-"))
        return parseList(lines, pos, parentIndent);
    return [null, pos];
}

function parseMap (lines, pos, indent) {
    const map = {};
    while (pos < lines.length && lines[pos].indent === indent && !lines[pos].text.startsWith("- ")) {
        const line = lines[pos];
        const [key, rest] = splitKey(line.text, line.no);
        if (Object.prototype.hasOwnProperty.call(map, key)) fail(line.no, `duplicate key "${key}"`);
        [map[key], pos] = parseValue(lines, pos + 1, rest, indent, line.no);
    }
    if (pos < lines.length && lines[pos].indent > indent) fail(lines[pos].no, "unexpected indentation");
    return [map, pos];
}

function parseList (lines, pos, indent) {
    const list = [];
    while (pos < lines.length && lines[pos].indent === indent &&
           (lines[pos].text === "-" || lines[pos].text.startsWith("- "))) {
        const line = lines[pos];
        const rest = line.text.slice(1).trim();
        if (rest === "") {
            let value;
            [value, pos] = parseValue(lines, pos + 1, "", indent, line.no);
            list.push(value);
        } else if (/^[^"'[{][^:]*:(\s|$)/.test(rest) || /^["'][^"']*["']\s*:(\s|$)/.test(rest)) {
            // "- key: value" opens a map whose keys sit two columns further in.
            const inner = indent + line.text.indexOf(rest);
            const sub = [{ no: line.no, indent: inner, text: rest }].concat(lines.slice(pos + 1));
            const [map, used] = parseMap(sub, 0, inner);
            list.push(map);
            pos += used;
        } else {
            list.push(parseInline(rest, line.no));
            pos++;
        }
    }
    return [list, pos];
}

export function parse (text) {
    const lines = tokenize(text);
    if (lines.length === 0) return {};
    const [value, pos] = parseBlock(lines, 0, lines[0].indent);
    if (pos < lines.length) fail(lines[pos].no, "unexpected indentation");
    return value;
}
