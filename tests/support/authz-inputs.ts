/**
 * One valid input per action for the authorization matrix, aimed at the world's objects
 * (authz-world.ts): the demo community's orders, households, buildings and campaign. Valid, so
 * the answer says what the caller may do, not what is wrong with the input.
 */
import type { ActionName } from '../../src/core/contract'
import { assertNever } from '../../src/core/errors'
import { DEMO_PEOPLE, DEMO_SQUAD_INVITE } from '../../src/server/seed/demo'
import type { WorldIds } from './authz-world'

const { chaolu } = DEMO_PEOPLE
export const SETUP_CODE = 'SETUP2026'
const CSV = '楼栋,单元,房号,隔离状态,开始日期,结束日期,特殊情况,联系人,电话\n3号楼,1,101,居家隔离,2026-11-20,2026-12-04,,,\n'

export function inputFor(action: ActionName, ids: WorldIds, seq: string): Record<string, unknown> {
  switch (action) {
    case 'me.get':
    case 'catalog.get':
    case 'order.mine':
    case 'squad.board':
    case 'squad.tasks':
    case 'notify.templates':
    case 'squad.invite':
    case 'squad.invites':
    case 'squad.members':
    case 'squad.households':
    case 'coord.stats':
    case 'coord.followups':
    case 'coord.grids':
    case 'robot.list':
    case 'campaign.list':
    case 'campaign.mine':
    case 'coord.audit':
      return {}
    case 'me.setPrefs':
      return { largeText: true }
    case 'household.join':
      return { code: '571846', phone: '13800000502', name: '张家人' }
    case 'community.setup':
      return { code: SETUP_CODE, name: '新社区', buildings: [{ name: '1号楼', units: 1, floors: 1, roomsPerFloor: 1 }] }
    case 'order.place':
      return { requestId: `place${seq}`, householdId: 'h1-2-502', kind: 'supplies', lines: [{ itemId: 'rice', qty: 1 }] }
    case 'order.get':
      return { id: ids.claimed }
    case 'order.cancel':
      return { id: ids.pending, reason: '不要了' }
    case 'order.confirm':
      return { id: ids.delivered }
    case 'order.rate':
      return { id: ids.delivered, stars: 5 }
    case 'order.repeat':
      return { id: ids.delivered, requestId: `repeat${seq}` }
    case 'order.claim':
      return { id: ids.pending }
    case 'order.release':
      return { id: ids.claimed, reason: '临时有事' }
    case 'order.advance':
      return { id: ids.claimed, event: 'depart' }
    case 'order.deliver':
      return { id: ids.atDoor, outcome: 'handed' }
    case 'order.step':
      return { id: ids.delivering, step: 'disinfect_corridor' }
    case 'order.addPartner':
      return { id: ids.claimed, partnerId: chaolu }
    case 'order.parcelArrived':
      return { id: ids.parcel }
    case 'order.disinfectParcel':
      return { id: ids.parcelAtGate }
    case 'order.cancelProxy':
      return { id: ids.proxy, reason: 'withdrawn' }
    case 'squad.badgeLookup':
      return { code: ids.badge }
    case 'coord.setServicePhone':
      return { phone: '0471-6281235' }
    case 'coord.householdBadges':
      return { buildingId: 'b1' }
    case 'coord.reissueBadge':
      return { householdId: 'h1-2-502' }
    case 'coord.setRetention':
      return { days: 60 }
    case 'order.sealPhoto':
      return { id: ids.atDoor, fileId: 'local:' + 'a'.repeat(64) + '.jpg' }
    case 'photo.url':
      return { id: ids.claimed }
    case 'order.reassign':
      return { id: ids.claimed, toId: chaolu, reason: '就近' }
    case 'inbox.list':
      return {}
    case 'inbox.markRead':
      return { all: true }
    case 'notify.consent':
      return { results: { 'tmpl-x': 'accept' } }
    case 'squad.join':
      return { code: DEMO_SQUAD_INVITE }
    case 'coord.setParcelHold':
      return { minutes: 60 }
    case 'coord.setSoldOut':
      return { itemId: 'rice', soldOut: true }
    case 'coord.addItem':
      return { categoryId: 'grain', name: '玉米', unit: '袋' }
    case 'coord.removeItem':
      return { itemId: ids.extraItem }
    case 'coord.setHousehold':
      return { id: 'h1-2-502', isolation: 'home_isolation', specialNeeds: ['低血糖'] }
    case 'coord.householdCodes':
      return { buildingId: 'b1' }
    case 'coord.ledger':
      return { from: '2026-11-22', to: '2026-11-22' }
    case 'coord.exportLedger':
      return { from: '2026-11-22', to: '2026-11-22' }
    case 'coord.importHouseholds':
      return { csv: CSV, dryRun: true }
    case 'coord.buildingMap':
      return { buildingId: 'b1' }
    case 'coord.resolveFollowup':
      return { id: ids.followup, note: '已电话回访' }
    case 'coord.setDeadlines':
      return { urgentClaimMinutes: 30, urgentDeliverMinutes: 120, normalClaimMinutes: 120, normalDeliverMinutes: 1440 }
    case 'squad.deactivate':
      return { personId: chaolu }
    case 'coord.setGrid':
      return { gridId: 'g1', name: '1号楼网格', buildingIds: ['b1'], workerIds: [chaolu] }
    case 'robot.set':
      return { scope: 'b1', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=authz-robot-2' }
    case 'robot.test':
      return { scope: 'b1' }
    case 'robot.notice':
      return { scope: 'b1', text: '今天下午三点发放大米' }
    case 'notify.announcement':
      return { text: '今天下午三点发放大米' }
    case 'robot.log':
      return { scope: 'b1' }
    case 'campaign.create':
      return { requestId: `camp${seq}`, title: '再次发放', item: '面粉', qtyPerHousehold: 1, unit: '袋', buildingIds: ['b1'] }
    case 'campaign.get':
      return { id: ids.campaign }
    case 'campaign.tasks':
      return { id: ids.campaign, buildingId: 'b1', unit: 2 }
    case 'campaign.tick':
      return { id: ids.campaign, householdId: 'h1-2-502' }
    case 'campaign.untick':
      return { id: ids.campaign, householdId: 'h1-2-502' }
    case 'campaign.decline':
      return { id: ids.campaign, householdId: 'h1-2-502' }
    default:
      return assertNever(action)
  }
}
