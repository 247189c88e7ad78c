/**
 * The privacy guard at the two actions a person uses to post to a group: robot.notice (the
 * coordinator's notice, queued for the robot) and notify.announcement (paste-ready text). Every
 * family of spellings is refused with NOTIFY.PRIVATE_DATA and its Chinese message, nothing is
 * queued; ordinary notices go through both.
 */
import { describe, expect, it } from 'vitest'
import { PRIVATE_DATA_MESSAGE } from '../../src/core/notify/privacy'
import { announcementText, noticeText } from '../../src/core/notify/texts'
import { DEMO_COMMUNITY_ID, DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp } from '../support/app'
import { NEAR_MISSES, ORDINARY, SPELLINGS, type Sample } from '../support/privacy-spellings'

const { coordinator, yuhong } = DEMO_PEOPLE

async function robotPosts(app: Awaited<ReturnType<typeof makeApp>>) {
  const page = await app.store.notifications.list({ communityId: DEMO_COMMUNITY_ID, channel: 'robot', limit: 100, cursor: null })
  return page.items
}

async function expectRefused(app: Awaited<ReturnType<typeof makeApp>>, samples: readonly Sample[]) {
  for (const [text, kind] of samples) {
    const message = PRIVATE_DATA_MESSAGE[kind]
    const notice = await app.as(coordinator).refused('robot.notice', { scope: 'community', text })
    expect([notice.code, notice.message, notice.fields?.text], text).toEqual(['NOTIFY.PRIVATE_DATA', message, message])
    for (const who of [coordinator, yuhong]) {
      const copy = await app.as(who).refused('notify.announcement', { text })
      expect([copy.code, copy.message, copy.fields?.text], text).toEqual(['NOTIFY.PRIVATE_DATA', message, message])
    }
  }
  expect(await robotPosts(app)).toEqual([])
}

describe('robot.notice and notify.announcement refuse personal data in any spelling', () => {
  for (const [family, samples] of Object.entries(SPELLINGS)) {
    it(`refuses ${family}`, async () => {
      await expectRefused(await makeApp(), samples)
    })
  }

  it('refuses the near neighbours of ordinary notices (a registered room alone or before 户, a name, a landline)', async () => {
    await expectRefused(await makeApp(), NEAR_MISSES)
  })
})

describe('ordinary notices still go out', () => {
  it('robot.notice queues each one; notify.announcement gives it back paste-ready', async () => {
    const app = await makeApp()
    for (const text of ORDINARY) {
      const queued = await app.as(coordinator).call('robot.notice', { scope: 'community', text })
      expect(queued.queued, text).toBe(true)
      app.advance(1000)
      expect((await app.as(yuhong).call('notify.announcement', { text })).text).toBe(announcementText(noticeText(text)))
    }
    const posts = await robotPosts(app)
    expect(posts.map((n) => n.body).sort()).toEqual(ORDINARY.map((t) => noticeText(t)).sort())
    expect(posts.every((n) => n.kind === 'notice' && n.to === 'community')).toBe(true)
  })
})
