/**
 * The HTTP benches' server and client halves, in separate processes.
 *
 * Server: the host's real entry point (src/server/host/main.ts, what `npm start` runs) in a child
 * node process (started as the tests start it, tests/support/host-process.ts) on a temp DATA_DIR and a free port, its log going to a file as a service's stdout
 * would. `node --import tsx` (not the tsx CLI) so the pid is the host's own: a SIGKILL hits the host.
 * BENCH_HOST_PROF=<dir> runs it with --cpu-prof into that folder (the profile is written on SIGTERM).
 *
 * Client: bench/lean-client.ts, keep-alive HTTP from the bench process.
 */
import type { ChildProcess } from 'node:child_process'
import { openSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, spawnHostChild } from '../tests/support/host-process'

export interface RunningHost {
  child: ChildProcess
  port: number
  url: string
  /** SIGKILL: nothing is flushed or closed; what was acknowledged must already be on disk. */
  kill(): Promise<void>
  /** SIGTERM: the host's own shutdown (and the CPU profile, when on). */
  stop(): Promise<void>
}

export async function startHost(dataDir: string, env: Record<string, string> = {}): Promise<RunningHost> {
  const port = await freePort()
  const logFd = openSync(join(dataDir, 'host.log'), 'a')
  const prof = process.env.BENCH_HOST_PROF
  const child = spawnHostChild(port, dataDir, {
    nodeFlags: [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), ...(process.env.BENCH_HOST_FLAGS?.split(' ').filter(Boolean) ?? [])],
    env: { ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('ZJ_') && e[1] !== undefined)), ...env },
    stdio: ['ignore', logFd, logFd],
  })
  // A bench that dies (an exception, Ctrl-C) takes its host with it: a host left running would load
  // every later measurement on this machine.
  const orphanGuard = () => child.kill('SIGKILL')
  process.once('exit', orphanGuard)
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', orphanGuard)
      resolve()
    }),
  )
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`host exited ${child.exitCode}; see ${join(dataDir, 'host.log')}`)
    if (Date.now() > deadline) throw new Error('host did not start within 60 s')
    try {
      const r = await fetch(`${url}/api/health`)
      if (r.ok) break
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    child,
    port,
    url,
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    },
    stop: async () => {
      child.kill('SIGTERM')
      await exited
    },
  }
}
