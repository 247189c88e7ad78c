// Bundles the api cloud function (TypeScript under src/server) into cloudfunctions/api/index.js.
// wx-server-sdk stays external: the cloud installs it from cloudfunctions/api/package.json.
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const outfile = process.argv[2] ?? join(root, 'cloudfunctions', 'api', 'index.js')

await build({
  entryPoints: [join(root, 'src', 'server', 'cloud', 'index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node16',
  format: 'cjs',
  external: ['wx-server-sdk'],
  legalComments: 'none',
  logLevel: 'warning',
})
console.log(`built ${outfile}`)
