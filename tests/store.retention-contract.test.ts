import { openCloudbase } from '../src/server/adapters/cloudbase'
import { openSqlite } from '../src/server/adapters/sqlite'
import { retentionStoreContract } from './store.retention-contract'
import { openSdkDatabase, SdkDbEngine } from './support/wx-sdk-db'

retentionStoreContract('sqlite', async () => openSqlite({ file: ':memory:' }))
retentionStoreContract('cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine())))
