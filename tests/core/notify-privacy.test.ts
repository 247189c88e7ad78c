/** The group-chat privacy guard reads the same data written differently: one test per family of spellings. */
import { describe, expect, it } from 'vitest'
import { findPrivateData, locatePrivateData, normaliseText, privacyIndex } from '../../src/core/notify/privacy'
import { demoHouseholds } from '../../src/server/seed/demo'
import { NEAR_MISSES, ORDINARY, SPELLINGS } from '../support/privacy-spellings'

const index = privacyIndex(demoHouseholds())

describe('privacy guard: the same data spelled differently', () => {
  for (const [family, samples] of Object.entries(SPELLINGS)) {
    it(`catches ${family}`, () => {
      for (const [text, kind] of samples) expect(findPrivateData(text, index), text).toBe(kind)
    })
  }

  it('a four-digit registered room (1201) in every spelling; unregistered, only as an address', () => {
    const tower = privacyIndex([...demoHouseholds(), { residentName: '', phone: '', room: '1201' }])
    for (const text of ['送到1201', '一千二百零一的居民请下楼', '幺二零幺号请开门', '12 01室', '#１２０１', '请1201户下楼', 'Rm 一二〇一'])
      expect(findPrivateData(text, tower), text).toBe('room')
    expect(findPrivateData('今天送了1201单', tower)).toBeNull()
    // Not in the demo register: standing alone it is just a number; as an address it is still refused.
    expect(findPrivateData('送到1201', index)).toBeNull()
    expect(findPrivateData('送到1201室', index)).toBe('room')
  })

  it('a register written in other spellings is read the same way', () => {
    const odd = privacyIndex([{ residentName: '張 麗', phone: '+86 138-0000-0502', room: '５０２' }])
    expect(odd).toEqual({ names: ['张丽'], phones: ['13800000502'], rooms: ['502'] })
    expect(findPrivateData('请张丽下楼', odd)).toBe('name')
    expect(findPrivateData('联系13800000502', odd)).toBe('phone')
    expect(findPrivateData('502的居民请下楼', odd)).toBe('room')
  })

  it('reports where the data is in the text as typed, not in the normalised text', () => {
    const at = (text: string) => {
      const f = locatePrivateData(text, index)
      return f && [f.kind, text.slice(f.start, f.end)]
    }
    expect(at('请拨打 １３８ ００１３ ８０００ 谢谢')).toEqual(['phone', '１３８ ００１３ ８０００'])
    expect(at('请 張·女士 下樓')).toEqual(['name', '張·女士'])
    expect(at('东西放在五百零二室，谢谢')).toEqual(['room', '五百零二室'])
    expect(at('有事打 +86 幺三八 0013 8000')).toEqual(['phone', '+86 幺三八 0013 8000'])
    expect(at('楼里有人陽 性')).toEqual(['health', '陽 性'])
    expect(locatePrivateData('今晚8点发放蔬菜', index)).toBeNull()
  })

  it('normalises width, case, traditional characters, Chinese numerals and dash look-alikes', () => {
    expect(normaliseText('ＲＯＯＭ　５０２').text).toBe('room 502')
    expect(normaliseText('張麗 趙建國 號樓').text).toBe('张丽 赵建国 号楼')
    expect(normaliseText('一三八〇〇幺').text).toBe('138001')
    expect(normaliseText('五百零二 一千二百零一 十二 二十 五百二 两百').text).toBe('502 1201 12 20 520 200')
    // 两 alone is also a weight; 十/百/千 without a digit stay words.
    expect(normaliseText('三两 十分 百姓').text).toBe('3两 十分 百姓')
    expect(normaliseText('1—2–502').text).toBe('1-2-502')
    expect(normaliseText('王\u200b强').text).toBe('王强')
  })
})

describe('privacy guard: ordinary notices pass, their near neighbours do not', () => {
  it('lets times, buildings, units and counts through', () => {
    for (const text of ORDINARY) expect(findPrivateData(text, index), text).toBeNull()
  })

  it('refuses a registered room standing alone or before 户, a name, a landline, a health word', () => {
    for (const [text, kind] of NEAR_MISSES) expect(findPrivateData(text, index), text).toBe(kind)
  })
})
