// Bundles the page's script and styles into nova-core's classes (run by core/pom.xml after
// `npm ci`): one app.js, one app.css, and the licence of every library bundled.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const out = process.argv[2] ?? "../../target/classes/dev/nova/core/endpoint/ui";
mkdirSync(join(out, "licenses"), { recursive: true });
await build({
  entryPoints: { app: "main.js" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: out,
  legalComments: "none",
  logLevel: "warning",
});
for (const dir of readdirSync("node_modules")) {
  for (const name of ["LICENSE", "LICENSE.md", "LICENSE.txt"]) {
    const file = join("node_modules", dir, name);
    if (existsSync(file) && !dir.startsWith("@") && dir !== "esbuild" && dir !== "playwright-core") {
      copyFileSync(file, join(out, "licenses", dir + ".txt"));
    }
  }
}
