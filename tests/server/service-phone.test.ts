/**
 * 社区服务中心电话: the coordinator sets it with validation; a person locked out of binding is told
 * to call it (and, with none set, to contact the service centre).
 */
import { describe, expect, it } from 'vitest'
import { DEMO_PEOPLE } from '../../src/server/seed/demo'
import { makeApp } from '../support/app'

const { coordinator, yuhong, newcomer } = DEMO_PEOPLE
const PHONE = '13800009999'

async function lockOut(app: Awaited<ReturnType<typeof makeApp>>) {
  let last
  for (let i = 0; i < 5; i++) last = await app.as(newcomer).refused('household.join', { code: '999999', phone: PHONE })
  return last!
}

describe('coord.setServicePhone', () => {
  it('stores a landline (dash put in), a mobile or a hotline; me.get shows it; the lock message names it', async () => {
    const app = await makeApp()
    const me = await app.as(coordinator).call('coord.setServicePhone', { phone: '0471 6281235' })
    expect(me.coordinator?.servicePhone).toBe('0471-6281235')
    expect((await app.store.communities.get('demo'))?.servicePhone).toBe('0471-6281235')
    expect((await app.as(coordinator).call('coord.setServicePhone', { phone: '010-12345678' })).coordinator?.servicePhone).toBe('010-12345678')
    expect((await app.as(coordinator).call('coord.setServicePhone', { phone: '13912345678' })).coordinator?.servicePhone).toBe('13912345678')
    await app.as(coordinator).call('coord.setServicePhone', { phone: '12345' })
    const locked = await lockOut(app)
    expect(locked.code).toBe('HOUSEHOLD.JOIN_LOCKED')
    expect(locked.message).toBe('住户码输错太多次，已锁定10分钟，请10分钟后再试。急需帮助请打社区服务中心电话：12345')
  })

  it('refuses a bad number with a Chinese message and changes nothing; only the coordinator', async () => {
    const app = await makeApp()
    for (const phone of ['', '123', '0471-12', '2345678901234', 'abc']) {
      const r = await app.as(coordinator).refused('coord.setServicePhone', { phone })
      expect(r.code, phone).toBe('REQUEST.INVALID_INPUT')
      expect(r.fields?.phone, phone).toMatch(/电话/)
    }
    expect((await app.as(yuhong).refused('coord.setServicePhone', { phone: '12345' })).code).toBe('AUTH.FORBIDDEN')
    expect((await app.store.communities.get('demo'))?.servicePhone).toBe('0471-6281234')
  })

  it('with no phone set, the lock still says it is locked and for how long', async () => {
    const app = await makeApp()
    const { servicePhone: _p, ...rest } = (await app.store.communities.get('demo'))!
    await app.store.communities.put(rest)
    const locked = await lockOut(app)
    expect(locked).toMatchObject({ code: 'HOUSEHOLD.JOIN_LOCKED', details: { attemptsLeft: 0 } })
    expect(locked.message).toBe('住户码输错太多次，已锁定10分钟，请10分钟后再试。急需帮助请联系社区服务中心。')
  })
})
