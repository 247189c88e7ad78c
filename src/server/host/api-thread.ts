/**
 * The local host's HTTP on a second thread (api-front.ts runs there). The main thread keeps the
 * store, the use cases and the group commit; it receives each POST /api as a session token and a
 * body and sends back the envelope's JSON after the COMMIT that holds its writes.
 *
 * Why: under the morning rush the host's one thread spent about half of each request outside the
 * use case and its SQL (parsing HTTP, reading bodies, checking sessions, writing answers), and ran
 * 65–95 % busy at 2,000 mutations/s, where any pause became a queue (BENCHMARKS.md, item 20).
 *
 * Answers are sent back in batches: all that one COMMIT settles go in one message.
 */
import type { Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { AnswerMessage, FrontData, FrontEvent } from './api-front'
import type { ApiAnswerFn } from './http-app'

export interface ApiThreadOptions extends FrontData {
  /** The api on the main thread (http-app.ts createHandler's `answer`): never rejects. */
  answer: ApiAnswerFn
  /** The thread failed or exited while the host runs: the host cannot answer any more. */
  onFailure: (reason: string) => void
}

export interface ApiThread {
  /** The port it listens on. */
  port: number
  stop(): Promise<void>
}

// Plain JavaScript, run with eval: the thread loads api-front.ts through tsx's require (the host
// runs under tsx; a worker does not inherit its loader).
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const tsx = require(workerData.tsx)
tsx.require(workerData.entry, workerData.entry).runApiFront(workerData.front, parentPort)
`

export function startApiThread(o: ApiThreadOptions): Promise<ApiThread> {
  const front: FrontData = {
    port: o.port,
    host: o.host,
    backendPort: o.backendPort,
    ...(o.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: o.bodyTimeoutMs } : {}),
  }
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { tsx: createRequire(__filename).resolve('tsx/cjs/api'), entry: join(__dirname, 'api-front.ts'), front },
  })
  let stopping = false
  let stopped = () => {}
  let outbox: AnswerMessage['answers'] = []
  const flush = () => {
    const answers = outbox
    outbox = []
    if (!stopping) worker.postMessage({ t: 'answers', answers } satisfies AnswerMessage)
  }
  return new Promise((resolve, reject) => {
    let started = false
    worker.on('message', (m: FrontEvent) => {
      if (m.t === 'call') {
        void o.answer(m.token, m.body).then((a) => {
          // The answers one COMMIT settles resolve in one run of microtasks: one message for all.
          if (outbox.length === 0) queueMicrotask(flush)
          outbox.push([m.id, a.status, a.json])
        })
      } else if (m.t === 'listening') {
        started = true
        resolve({
          port: m.port,
          async stop() {
            stopping = true
            // Ended once the thread says its server is closed (its connections cut), or after 1 s.
            const closed = new Promise<void>((r) => {
              stopped = r
              setTimeout(r, 1_000).unref()
            })
            worker.postMessage({ t: 'stop' })
            await closed
            await worker.terminate()
          },
        })
      } else if (m.t === 'stopped') {
        stopped()
      } else if (m.t === 'failed') {
        if (started) return o.onFailure(m.reason)
        stopping = true
        void worker.terminate()
        reject(new Error(m.reason))
      }
    })
    worker.on('error', (e) => (started ? o.onFailure(e.message) : reject(e)))
    worker.on('exit', (code) => {
      if (!started && !stopping) reject(new Error(`api thread exited (${code})`))
      else if (!stopping) o.onFailure(`api thread exited (${code})`)
    })
  })
}

export interface ServeOptions {
  /** The host's own server (createHandler): every route, POST /api included. */
  server: Server
  port: number
  host: string
  /** POST /api on this thread (http-app.ts createHandler's `answer`), for the HTTP thread. */
  answer: ApiThreadOptions['answer']
  bodyTimeoutMs?: number
  /** false: the host's server listens at host:port itself, one thread for everything (ZJ_API_THREAD=0). */
  thread: boolean
  onFailure: ApiThreadOptions['onFailure']
}

export interface Serving {
  port: number
  /** Stops listening (the thread's connections closed) and the thread. */
  stop(): Promise<void>
}

/** Puts the host on the network: behind the HTTP thread (the server then on a loopback port), or alone. */
export async function serveHost(o: ServeOptions): Promise<Serving> {
  const listen = (port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      o.server.once('error', reject)
      o.server.listen(port, host, () => {
        o.server.off('error', reject)
        resolve((o.server.address() as AddressInfo).port)
      })
    })
  const closeServer = () => {
    o.server.closeAllConnections()
    return new Promise<void>((r) => o.server.close(() => r()))
  }
  if (!o.thread) {
    const port = await listen(o.port, o.host)
    return { port, stop: closeServer }
  }
  const backendPort = await listen(0, '127.0.0.1')
  const thread = await startApiThread({
    port: o.port,
    host: o.host,
    backendPort,
    answer: o.answer,
    onFailure: o.onFailure,
    ...(o.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: o.bodyTimeoutMs } : {}),
  }).catch(async (e: unknown) => {
    await closeServer()
    throw e
  })
  return {
    port: thread.port,
    async stop() {
      await thread.stop()
      await closeServer()
    },
  }
}
