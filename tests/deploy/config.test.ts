/**
 * Deploy settings, the setup-code generator, and the guarantee that no deploy secret reaches the
 * client build.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  return { ...real, randomInt: vi.fn((max: number) => real.randomInt(max)) }
})

const { randomInt } = await import('node:crypto')
const { check, loadSettings, parseDotenv } = await import('../../scripts/deploy/config')
const { generateSetupCode, SETUP_CODE_ALPHABET } = await import('../../scripts/deploy/setup-code')
const { BUILD_SECRETS, weappBuildEnv } = await import('../../scripts/deploy/tools')

const ROOT = join(__dirname, '..', '..')

describe('parseDotenv', () => {
  it('reads plain, exported, quoted and commented lines', () => {
    const text = [
      '# comment',
      'ZJ_APPID=wx0123456789abcdef  # trailing comment',
      'export ZJ_CLOUD_ENV="prod-1"',
      `ZJ_SUBSCRIBE_TEMPLATES='{"claimed": {"id": "tmpl_claimed_01"}}'`,
      'ZJ_DESC="two\\nlines"',
      'not a setting',
      'EMPTY=',
    ].join('\n')
    expect(parseDotenv(text)).toEqual({
      ZJ_APPID: 'wx0123456789abcdef',
      ZJ_CLOUD_ENV: 'prod-1',
      ZJ_SUBSCRIBE_TEMPLATES: '{"claimed": {"id": "tmpl_claimed_01"}}',
      ZJ_DESC: 'two\nlines',
      EMPTY: '',
    })
  })

  it('the environment wins, an empty value counts as absent, unknown names are ignored', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zj-env-'))
    const file = join(dir, '.env')
    writeFileSync(file, 'ZJ_APPID=wx0123456789abcdef\nZJ_CLOUD_ENV=from-file\nOTHER=1\n')
    expect(loadSettings({ ZJ_CLOUD_ENV: 'from-env', ZJ_APPID: '' }, file)).toEqual({ ZJ_APPID: 'wx0123456789abcdef', ZJ_CLOUD_ENV: 'from-env' })
  })
})

describe('check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zj-key-'))
  const key = join(dir, 'private.wx0123456789abcdef.key')
  writeFileSync(key, '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n')

  it('accepts good values and reports only what is needed', () => {
    const settings = { ZJ_APPID: 'wx0123456789abcdef', ZJ_CLOUD_ENV: 'cloud1-8g7abcde1234', ZJ_UPLOAD_KEY: key, ZJ_VERSION: '1.2.3' }
    expect(check(settings, { required: ['ZJ_APPID', 'ZJ_CLOUD_ENV', 'ZJ_UPLOAD_KEY', 'ZJ_VERSION'] })).toEqual([])
    expect(check({}, { required: ['ZJ_APPID'], optional: ['ZJ_DAILY_HOUR'] }).map((p) => p.name)).toEqual(['ZJ_APPID'])
  })

  it('an AppID is wx + 16 lower-case hex characters', () => {
    for (const bad of ['wx0123456789ABCDEF', 'wx0123456789abcde', 'xx0123456789abcdef', 'wx0123456789abcdefg']) {
      expect(check({ ZJ_APPID: bad }, { required: ['ZJ_APPID'] })).toHaveLength(1)
    }
  })

  it('templates: kinds and ids are checked the way the function reads them', () => {
    const needs = { required: [], optional: ['ZJ_SUBSCRIBE_TEMPLATES'] } as const
    expect(check({ ZJ_SUBSCRIBE_TEMPLATES: '{"claimed":{"id":"AbCdEf-123_xyz"}}' }, needs)).toEqual([])
    expect(check({ ZJ_SUBSCRIBE_TEMPLATES: '{"shipped":{"id":"AbCdEf-123_xyz"}}' }, needs)[0]!.message).toContain('unknown kind(s) shipped')
    expect(check({ ZJ_SUBSCRIBE_TEMPLATES: '{"claimed":{"id":"x"}}' }, needs)[0]!.message).toContain('entry claimed has no valid template id')
    expect(check({ ZJ_SUBSCRIBE_TEMPLATES: '[]' }, needs)[0]!.message).toContain('JSON object')
  })

  it('the key file: missing, a folder, or not a private key', () => {
    const needs = { required: ['ZJ_UPLOAD_KEY'] } as const
    expect(check({ ZJ_UPLOAD_KEY: join(dir, 'nope.key') }, needs)[0]!.message).toContain('does not exist')
    expect(check({ ZJ_UPLOAD_KEY: dir }, needs)[0]!.message).toContain('is not a file')
    const txt = join(dir, 'public.pem')
    writeFileSync(txt, '-----BEGIN PUBLIC KEY-----\n')
    expect(check({ ZJ_UPLOAD_KEY: txt }, needs)[0]!.message).toContain('is not a private key')
  })
})

describe('generateSetupCode', () => {
  it('8 characters from the unambiguous alphabet, drawn with crypto.randomInt', () => {
    vi.mocked(randomInt).mockClear()
    const code = generateSetupCode()
    expect(code).toMatch(/^[A-Z2-9]{8}$/)
    for (const c of code) expect(SETUP_CODE_ALPHABET).toContain(c)
    expect(vi.mocked(randomInt)).toHaveBeenCalledTimes(8)
    for (const call of vi.mocked(randomInt).mock.calls) expect(call).toEqual([SETUP_CODE_ALPHABET.length])
  })

  it('the alphabet has no look-alikes, and codes do not repeat', () => {
    for (const c of '01OIL') expect(SETUP_CODE_ALPHABET).not.toContain(c)
    expect(new Set(SETUP_CODE_ALPHABET).size).toBe(SETUP_CODE_ALPHABET.length)
    const codes = new Set(Array.from({ length: 500 }, () => generateSetupCode()))
    expect(codes.size).toBe(500)
    // every character of the alphabet turns up (4000 draws from 31)
    expect(new Set([...codes].join('')).size).toBe(SETUP_CODE_ALPHABET.length)
  })

  it('uses what crypto.randomInt gives, index by index', () => {
    vi.mocked(randomInt).mockImplementation(((max: number) => max - 1) as typeof randomInt)
    expect(generateSetupCode()).toBe('99999999')
    vi.mocked(randomInt).mockReset()
  })
})

describe('no deploy secret reaches the client', () => {
  const SECRET_NAMES = /TENCENTCLOUD|ZJ_UPLOAD_KEY|SECRETKEY|SECRETID|ZJ_SETUP_CODE/

  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f)
      return statSync(p).isDirectory() ? files(p) : [p]
    })
  }

  it('the Taro build config (where defineConstants lives) never names a secret nor hands it all of process.env', () => {
    const sources = files(join(ROOT, 'config'))
    expect(sources.length).toBeGreaterThan(0)
    for (const f of sources) {
      const text = readFileSync(f, 'utf8')
      expect(text, f).not.toMatch(SECRET_NAMES)
      expect(text, f).not.toMatch(/\.\.\.\s*process\.env\b/)
      expect(text, f).not.toMatch(/JSON\.stringify\(\s*process\.env\s*\)/)
    }
  })

  it('no client source reads them', () => {
    const client = files(join(ROOT, 'src')).filter((f) => !f.includes(join('src', 'server')))
    // (ZJ_SETUP_CODE may be named in a page's words; it is never read from the environment there.)
    for (const f of client) expect(readFileSync(f, 'utf8'), f).not.toMatch(/TENCENTCLOUD|ZJ_UPLOAD_KEY|SECRETKEY|SECRETID|process\.env\.ZJ_SETUP_CODE/)
  })

  it('the weapp build runs without them in its environment, with the env id and AppID', () => {
    const env = weappBuildEnv(
      { PATH: '/bin', TENCENTCLOUD_SECRETID: 'AKIDx', TENCENTCLOUD_SECRETKEY: 'k', ZJ_UPLOAD_KEY: '/k.key', ZJ_SETUP_CODE: 'ABCDEFGH' },
      { ZJ_CLOUD_ENV: 'prod-1', ZJ_APPID: 'wx0123456789abcdef', TENCENTCLOUD_SECRETID: 'AKIDx' },
    )
    expect(env).toEqual({ PATH: '/bin', ZJ_CLOUD_ENV: 'prod-1', ZJ_APPID: 'wx0123456789abcdef' })
    for (const name of BUILD_SECRETS) expect(env[name]).toBeUndefined()
  })
})
