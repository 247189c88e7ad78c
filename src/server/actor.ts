import type { Actor } from '../core/actor'
import type { Store } from './ports'

/** The caller as our records say. An identity we have never seen has no roles yet. */
export async function loadActor(store: Store, id: string): Promise<Actor> {
  const p = await store.people.get(id)
  if (!p) return { id, name: '', households: [], squadOf: null, coordinatorOf: null }
  return { id: p.id, name: p.name, households: p.households, squadOf: p.squadOf, coordinatorOf: p.coordinatorOf }
}
