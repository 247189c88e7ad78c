/**
 * Action-level authorization: which standing the caller needs for each action. Order-level rules
 * (whose order, which status) are in order/transitions.ts and order/policy.ts.
 */
import type { Actor } from './actor'
import type { ActionName } from './contract'
import { AppError, assertNever } from './errors'

export type Standing = 'anyone' | 'resident' | 'squad' | 'coordinator' | 'squadOrCoordinator'

export function standingFor(action: ActionName): Standing {
  switch (action) {
    case 'me.get':
    case 'catalog.get':
    case 'order.get':
    case 'photo.url':
    case 'me.setPrefs':
    case 'household.join':
    case 'community.setup':
      return 'anyone'
    case 'order.place':
    case 'order.mine':
    case 'order.cancel':
    case 'order.confirm':
    case 'order.rate':
    case 'order.repeat':
      return 'resident'
    case 'squad.board':
    case 'squad.tasks':
    case 'order.claim':
    case 'order.release':
    case 'order.advance':
    case 'order.deliver':
    case 'order.step':
    case 'order.addPartner':
    case 'order.parcelArrived':
    case 'order.disinfectParcel':
    case 'order.sealPhoto':
    case 'squad.badgeLookup':
      return 'squad'
    case 'order.cancelProxy':
      return 'squadOrCoordinator'
    case 'order.reassign':
    case 'squad.invite':
    case 'squad.invites':
    case 'coord.stats':
    case 'coord.setParcelHold':
    case 'coord.setServicePhone':
    case 'coord.setSoldOut':
    case 'coord.addItem':
    case 'coord.removeItem':
    case 'coord.setHousehold':
    case 'coord.householdCodes':
    case 'coord.householdBadges':
    case 'coord.reissueBadge':
    case 'coord.followups':
    case 'coord.importHouseholds':
    case 'coord.buildingMap':
    case 'coord.resolveFollowup':
    case 'coord.ledger':
    case 'coord.exportLedger':
    case 'coord.setDeadlines':
    case 'squad.deactivate':
    case 'coord.grids':
    case 'coord.setGrid':
    case 'coord.audit':
    case 'coord.setRetention':
      return 'coordinator'
    case 'squad.join':
      return 'anyone'
    case 'squad.members':
    case 'squad.households':
    case 'notify.announcement':
      return 'squadOrCoordinator'
    case 'inbox.list':
    case 'inbox.markRead':
    case 'notify.templates':
    case 'notify.consent':
      return 'anyone'
    case 'robot.list':
    case 'robot.set':
    case 'robot.test':
    case 'robot.notice':
    case 'robot.log':
      return 'coordinator'
    case 'campaign.create':
      return 'coordinator'
    case 'campaign.list':
    case 'campaign.get':
    case 'campaign.tasks':
      return 'squadOrCoordinator'
    case 'campaign.tick':
    case 'campaign.untick':
      return 'squad'
    case 'campaign.decline':
    case 'campaign.mine':
      return 'resident'
    default:
      return assertNever(action)
  }
}

export function hasStanding(actor: Actor, s: Standing): boolean {
  switch (s) {
    case 'anyone':
      return true
    case 'resident':
      // A coordinator may cancel for a household; squad members place proxy orders (代下单).
      return actor.households.length > 0 || actor.squadOf !== null || actor.coordinatorOf !== null
    case 'squad':
      return actor.squadOf !== null
    case 'coordinator':
      return actor.coordinatorOf !== null
    case 'squadOrCoordinator':
      return actor.squadOf !== null || actor.coordinatorOf !== null
    default:
      return assertNever(s)
  }
}

export function authorize(action: ActionName, actor: Actor): void {
  const s = standingFor(action)
  if (!hasStanding(actor, s)) {
    if (s === 'resident') throw new AppError('HOUSEHOLD.NONE_BOUND')
    throw new AppError('AUTH.FORBIDDEN', {
      message: s === 'coordinator' ? '只有社区工作人员才能进行这个操作' : '只有送货小分队成员才能进行这个操作',
    })
  }
}
