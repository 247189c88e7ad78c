// Bundles the api cloud function (TypeScript under src/server) into cloudfunctions/api/index.js.
// wx-server-sdk stays external: the cloud installs it from cloudfunctions/api/package.json.
//
// exceljs (the 台账 XLSX export, ~1.2 MB with its dependencies) goes into its own file, exceljs.js,
// next to index.js: src/server/usecases/ledger.ts imports it only when an export runs, so a cold start
// parses ~0.4 MB instead of ~2.8 MB. Both files are uploaded with the function's folder.
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { basename, dirname, join } from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outfile = process.argv[2] ?? join(root, 'cloudfunctions', 'api', 'index.js')
const LAZY = { exceljs: 'exceljs.js' }

// Whitespace and syntax minified (a smaller file parses faster on a cold start); names are kept so the
// cloud logs' stack traces stay readable.
const common = { bundle: true, platform: 'node', target: 'node16', format: 'cjs', legalComments: 'none', logLevel: 'warning', minifyWhitespace: true, minifySyntax: true, keepNames: true }

/** `import('exceljs')` in the function's code resolves to the sibling file built below. */
const lazySiblings = {
  name: 'lazy-siblings',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(LAZY).join('|')})$`)
    b.onResolve({ filter }, (args) => ({ path: `./${LAZY[args.path]}`, external: true }))
  },
}

await build({
  ...common,
  entryPoints: [join(root, 'src', 'server', 'cloud', 'index.ts')],
  outfile,
  external: ['wx-server-sdk'],
  plugins: [lazySiblings],
})
for (const [pkg, file] of Object.entries(LAZY)) {
  await build({ ...common, stdin: { contents: `module.exports = require(${JSON.stringify(pkg)})`, resolveDir: root }, outfile: join(dirname(outfile), file) })
}
console.log(`built ${outfile} (+ ${Object.values(LAZY).join(', ')} beside ${basename(outfile)})`)
