// What can be said about a SPARQL text without parsing it fully: prefixes used but neither declared
// in the text nor known to the server, brackets that do not pair, strings and IRIs left open.
// Returns [{from, to, message}] with character offsets. Plain JavaScript, no dependency.
const PNAME = /(^|[\s(){}\[\],;.^|\/!=<>*+?])([A-Za-z][\w.-]*)?:(?!\/\/)/g;

export function check(text, known) {
  const out = [];
  const declared = new Set(Object.keys(known || {}));
  const stack = [];
  const pairs = { ")": "(", "}": "{", "]": "[" };
  const masked = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "#") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      masked.push(" ".repeat(stop - i));
      i = stop;
    } else if (c === '"' || c === "'") {
      const long = text.startsWith(c.repeat(3), i);
      const quote = long ? c.repeat(3) : c;
      let j = i + quote.length;
      let closed = false;
      while (j < text.length) {
        if (text[j] === "\\") { j += 2; continue; }
        if (!long && text[j] === "\n") break;
        if (text.startsWith(quote, j)) { closed = true; j += quote.length; break; }
        j++;
      }
      if (!closed) out.push({ from: i, to: i + 1, message: "This string is not closed" });
      masked.push('"' + " ".repeat(Math.max(j - i - 2, 0)) + (j - i > 1 ? '"' : ""));
      i = j;
    } else if (c === "<" && /^<[^<>"{}|^`\\\s]*>/.test(text.slice(i))) {
      const end = text.indexOf(">", i) + 1;
      masked.push("<" + " ".repeat(end - i - 2) + ">");
      i = end;
    } else {
      masked.push(c);
      i++;
    }
  }
  const plain = masked.join("");
  const declaration = /PREFIX\s+([A-Za-z][\w.-]*)?:\s*</gi;
  let m;
  while ((m = declaration.exec(plain)) !== null) declared.add(m[1] || "");
  for (let k = 0; k < plain.length; k++) {
    const c = plain[k];
    if (c === "(" || c === "{" || c === "[") stack.push([c, k]);
    else if (pairs[c]) {
      const top = stack.pop();
      if (!top || top[0] !== pairs[c]) {
        out.push({ from: k, to: k + 1, message: "'" + c + "' closes nothing" + (top ? " ('" + top[0] + "' is open)" : "") });
        if (top) stack.push(top);
      }
    }
  }
  for (const [c, k] of stack) out.push({ from: k, to: k + 1, message: "'" + c + "' is never closed" });
  PNAME.lastIndex = 0;
  while ((m = PNAME.exec(plain)) !== null) {
    const prefix = m[2] || "";
    const from = m.index + m[1].length;
    const before = plain.slice(Math.max(0, from - 8), from);
    if (/PREFIX\s+$/i.test(before) || /\?$|\$$/.test(before)) continue;
    if (!declared.has(prefix)) {
      out.push({ from: from, to: from + prefix.length + 1,
                 message: "unknown prefix " + prefix + ": (declare it with PREFIX " + prefix + ": <…>)" });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}
