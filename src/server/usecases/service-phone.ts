/**
 * 社区服务中心电话: the coordinator sets it (coord.setServicePhone); household.join tells it to a
 * person locked out after wrong household codes (serviceContacts).
 */
import type { Actor } from '../../core/actor'
import type { ParsedInputOf } from '../../core/contract'
import type { ServiceContact } from '../../core/household/join-limit'
import type { MeView } from '../../core/views'
import type { Deps } from '../deps'
import { changeCommunity } from './community-change'
import { getMe } from './me'

export async function setServicePhone(deps: Deps, actor: Actor, input: ParsedInputOf<'coord.setServicePhone'>): Promise<MeView> {
  const community = await changeCommunity(deps, actor.coordinatorOf!, (c) => ({ ...c, servicePhone: input.phone }))
  deps.log.info('community.service_phone', { community: community.id })
  return getMe(deps, actor)
}

/** Whom a locked-out person can call: the deployment's communities (usually one) that set a phone. */
export async function serviceContacts(deps: Deps): Promise<ServiceContact[]> {
  const all = await deps.store.communities.list(5)
  return all.filter((c) => c.servicePhone).map((c) => ({ name: c.name, phone: c.servicePhone! }))
}
