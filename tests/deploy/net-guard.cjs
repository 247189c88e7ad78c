// Preloaded (NODE_OPTIONS=--require) into the deploy scripts under test: records every outgoing TCP
// connection attempt and DNS lookup to the file named by ZJ_NET_LOG, so a test can prove a script
// refused before touching the network. Only connections with a port are TCP; a Unix socket (tsx's
// own IPC) has a path and no port.
const fs = require('node:fs')
const net = require('node:net')
const dns = require('node:dns')
const log = process.env.ZJ_NET_LOG
const record = (what) => {
  if (log) fs.appendFileSync(log, `${process.pid} ${what}\n`)
}
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]
  const opts = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }
  if (opts.port !== undefined && opts.port !== null) {
    record(`connect ${opts.host ?? 'localhost'}:${opts.port}`)
  }
  return connect.apply(this, args)
}
const lookup = dns.lookup
dns.lookup = function (host, ...rest) {
  record(`lookup ${host}`)
  return lookup.call(this, host, ...rest)
}
