// Print the licence of every npm package bundled into sparql-editor.js (those esbuild reads:
// the dependencies of package.json and theirs, not the build tool itself).
const fs = require("fs");
const path = require("path");
const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
const names = Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/") && !lock.packages[p].dev)
  .map((p) => p.slice("node_modules/".length)).filter((n) => !n.includes("esbuild")).sort();
console.log("sparql-editor.js bundles the following npm packages, each under the licence printed below.\n");
for (const name of names) {
  const dir = path.join("node_modules", name);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  console.log("=".repeat(78) + "\n" + name + " " + meta.version + " (" + meta.license + ")\n" + "=".repeat(78));
  console.log(file ? fs.readFileSync(path.join(dir, file), "utf8").trim() : "(no licence file; package.json says " + meta.license + ")");
  console.log("");
}
