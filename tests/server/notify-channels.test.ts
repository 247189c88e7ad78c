/**
 * Which channels the plan writes (notify/plan.ts canSubscribe): a subscribe record only where it
 * could be sent. The local host has no WeChat, so it writes none (each would be written, leased and
 * settled 'skipped'); the cloud writes one per resident per kind that has a template.
 */
import { describe, expect, it } from 'vitest'
import { cloudNotifyConfig, hostNotifyConfig, type NotifyConfig } from '../../src/server/notify/config'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { rid } from '../support/app'
import { makeNotifyApp, TEMPLATES } from '../support/notify'

const { zhao, yuhong } = DEMO_PEOPLE
const withTemplates = { ZJ_SUBSCRIBE_TEMPLATES: JSON.stringify(TEMPLATES) }

async function claimedRecords(config: NotifyConfig): Promise<string[]> {
  const a = await makeNotifyApp()
  a.deps.notify = { config, kick: () => undefined }
  const placed = await a.as(zhao).call('order.place', { requestId: rid('ch'), kind: 'garbage' })
  await a.fresh()
  await a.as(yuhong).call('order.claim', { id: placed.id })
  return a.fresh()
}

describe('channels the plan writes', () => {
  it('the local host: the inbox only, even with templates configured', async () => {
    const host = hostNotifyConfig({ sinkBase: () => 'http://127.0.0.1:9', communities: [DEMO_COMMUNITY_ID], env: withTemplates })
    expect(host.subscribe).toBe(false)
    expect(await claimedRecords(host)).toEqual([`inbox:claimed:${zhao}`])
  })

  it('the cloud with a template for the kind: inbox and subscribe', async () => {
    expect(await claimedRecords(cloudNotifyConfig(withTemplates))).toEqual([`inbox:claimed:${zhao}`, `subscribe:claimed:${zhao}`])
  })

  it('the cloud without a template for the kind: the inbox only (the dispatcher could only skip it)', async () => {
    const { claimed: _none, ...others } = TEMPLATES
    expect(await claimedRecords(cloudNotifyConfig({ ZJ_SUBSCRIBE_TEMPLATES: JSON.stringify(others) }))).toEqual([`inbox:claimed:${zhao}`])
  })
})
