/**
 * The host's own entry point (`src/server/host/main.ts`, what `npm start` runs) in a child process,
 * for tests that kill or restart it. Started as `node --import tsx`, not through the tsx CLI: the CLI
 * runs the host as its own child, so a SIGKILL of the CLI left the real host running (orphaned).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'

const ROOT = join(__dirname, '..', '..')
const spawned: ChildProcess[] = []

export interface HostProcess {
  child: ChildProcess
  url: string
  /** The last 50,000 characters the host printed (its log has a line per request). */
  out(): string
  exited: Promise<void>
  /** SIGTERM, then waits for the host's own shutdown. */
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/**
 * The host's entry point as a child process on `port` and `dataDir`: the one way the tests and the
 * HTTP benches (bench/http-host.ts) start it. `nodeFlags` go before `--import tsx` (--cpu-prof).
 */
export function spawnHostChild(
  port: number,
  dataDir: string,
  o: { env?: Record<string, string>; nodeFlags?: string[]; stdio: StdioOptions },
): ChildProcess {
  return spawn(process.execPath, [...(o.nodeFlags ?? []), '--import', 'tsx', join(ROOT, 'src', 'server', 'host', 'main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATA_DIR: dataDir, SKIP_H5_BUILD: '1', ...o.env },
    stdio: o.stdio,
  })
}

/** Starts the host on `dataDir` and a free port; resolves once it prints that it is running. */
export async function spawnHost(dataDir: string, env: Record<string, string> = {}): Promise<HostProcess> {
  const port = await freePort()
  const child = spawnHostChild(port, dataDir, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  spawned.push(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let out = ''
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-50_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  const deadline = Date.now() + 60_000
  while (!out.includes('is running')) {
    if (child.exitCode !== null) throw new Error(`host exited ${child.exitCode}\n${out}`)
    if (Date.now() > deadline) throw new Error(`host did not start\n${out}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    out: () => out,
    exited,
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** SIGKILLs every host this file started that is still running (afterAll / afterEach). */
export function killSpawnedHosts(): void {
  for (const c of spawned.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
}
