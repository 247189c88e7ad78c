/** Entry of the `api` cloud function; bundled by scripts/build-cloud.mjs into cloudfunctions/api/index.js. */
import cloud from 'wx-server-sdk'
import { createCloudMain } from './main'

// The typings declare DYNAMIC_CURRENT_ENV as a symbol but init's env as a string; the SDK accepts the symbol.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })

export const main = createCloudMain(cloud)
