// Print the licence of every npm package that ends up in the bundle (from esbuild's metafile),
// plus pdf.js, whose worker is copied as it is.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const meta = JSON.parse(readFileSync(process.argv[2], "utf8"));
const packages = new Set(["pdfjs-dist"]);
for (const input of Object.keys(meta.inputs)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match) packages.add(match[1]);
}
const out = ["Third-party software in briefgen's preview bundle (app.js, pdf.worker.min.mjs).", ""];
for (const name of [...packages].sort()) {
  const dir = join("node_modules", name);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  out.push("=".repeat(78), `${name} ${manifest.version} (${manifest.license || "see below"})`,
           manifest.homepage || "", "");
  out.push(file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8").trim()
           : `No licence file in the package; package.json says: ${manifest.license}`);
  out.push("");
}
process.stdout.write(out.join("\n") + "\n");
