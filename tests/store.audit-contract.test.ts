import { openCloudbase } from '../src/server/adapters/cloudbase'
import { openSqlite } from '../src/server/adapters/sqlite'
import { auditStoreContract } from './store.audit-contract'
import { openSdkDatabase, SdkDbEngine } from './support/wx-sdk-db'

auditStoreContract('sqlite', async () => openSqlite({ file: ':memory:' }))
auditStoreContract('cloudbase (real wx-server-sdk)', async () => openCloudbase(await openSdkDatabase(new SdkDbEngine())))
