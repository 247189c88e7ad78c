/**
 * The caller as the server knows them: built from the server's own records on every call,
 * never from anything the client sends.
 */
export interface Actor {
  id: string
  name: string
  /** Households this person is a member of (resident view). */
  households: string[]
  /** Community where this person is on the delivery squad, if any. */
  squadOf: string | null
  /** Community this person coordinates, if any. */
  coordinatorOf: string | null
}
