// untoc-kg's SPARQL editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes,
// completion of prefixed names from the server's prefixes, and a linter that marks unknown prefixes,
// unbalanced brackets and unterminated strings (and, after a run, the server's own error position).
// Built into ../static/vendor/sparql-editor.js by build.sh; the page uses window.UntocEditor only.
import { EditorView, basicSetup } from "codemirror";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { autocompletion } from "@codemirror/autocomplete";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { check } from "./check.js";

const serverError = StateEffect.define();
const serverErrorField = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(serverError)) return e.value;
    return tr.docChanged ? null : value;
  },
});

function completions(prefixes, terms) {
  const names = Object.keys(prefixes).sort();
  return (context) => {
    const word = context.matchBefore(/[A-Za-z_][\w-]*:?[\w\-/.]*/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = word.text;
    const colon = text.indexOf(":");
    if (colon < 0) {
      return { from: word.from, options: names.map((p) => ({ label: p + ":", type: "namespace",
                                                            detail: prefixes[p] })) };
    }
    const prefix = text.slice(0, colon);
    const known = (terms[prefix] || []).map((t) => ({ label: prefix + ":" + t, type: "property" }));
    return { from: word.from, options: known, validFor: /^[\w-]*:[\w\-/.]*$/ };
  };
}

function create(textarea, options) {
  const prefixes = options.prefixes || {};
  const terms = options.terms || {};
  const lint = linter((view) => {
    const found = check(view.state.doc.toString(), prefixes);
    const server = view.state.field(serverErrorField);
    if (server) found.push(server);
    const length = view.state.doc.length;
    return found.map((d) => ({ from: Math.min(d.from, length), to: Math.min(Math.max(d.to, d.from + 1), length),
                               severity: "error", message: d.message }));
  }, { delay: 300 });
  const run = keymap.of([{ key: "Mod-Enter", run: () => { if (options.onRun) options.onRun(); return true; } }]);
  // The editor lives in a shadow root: there CodeMirror's styles go into a constructed stylesheet
  // (adoptedStyleSheets), which the page's Content-Security-Policy (style-src 'self', no inline
  // <style>) allows, where on the document itself they would be an inline <style> element.
  const host = document.createElement("div");
  host.className = "sparql-editor";
  const shadow = host.attachShadow({ mode: "open" });
  const look = EditorView.theme({
    "&": { border: "1px solid #d5dae3", borderRadius: "4px", background: "#fff", fontSize: "13px" },
    "&.cm-focused": { outline: "2px solid #9cc0ea" },
    ".cm-scroller": { minHeight: "10rem", maxHeight: "20rem", fontFamily: "ui-monospace, Menlo, Consolas, monospace" },
  });
  const view = new EditorView({
    root: shadow,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [run, basicSetup, look, StreamLanguage.define(sparql), serverErrorField, lint, lintGutter(),
                   autocompletion({ override: [completions(prefixes, terms)] }),
                   EditorView.lineWrapping,
                   EditorView.contentAttributes.of({ "aria-label": "SPARQL query" }),
                   EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); })],
    }),
  });
  shadow.appendChild(view.dom);
  textarea.hidden = true;
  textarea.parentNode.insertBefore(host, textarea.nextSibling);
  return {
    view: view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    // line and column from 1, as the server reports them
    markError(line, column, message) {
      const doc = view.state.doc;
      const at = line >= 1 && line <= doc.lines ? Math.min(doc.line(line).from + Math.max(column - 1, 0),
                                                           doc.line(line).to) : 0;
      view.dispatch({ effects: serverError.of({ from: at, to: at + 1, message: message }) });
      forceLinting(view);
    },
    diagnostics: () => check(view.state.doc.toString(), prefixes),
  };
}

window.UntocEditor = { create: create, check: check };
