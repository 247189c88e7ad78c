/**
 * Lets the event loop run other work before a long read goes on. The local host answers every
 * request on one thread and better-sqlite3 reads synchronously, so a read of a day's orders page by
 * page (coord.stats, coord.followups: 100 orders a page) otherwise held every other request until
 * its last page (tens of ms with a few thousand orders). Between pages, the requests that arrived
 * meanwhile are answered first. On CloudBase each page is a network read anyway; this costs a turn.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
