/** Action name → use case. Typed from the contract: a missing or mistyped handler fails to compile. */
import type { Actor } from '../../core/actor'
import type { ActionName, OutputOf, ParsedInputOf } from '../../core/contract'
import type { Deps } from '../deps'
import { joinHousehold } from '../usecases/household'
import { householdCodes, setupCommunity } from '../usecases/community-setup'
import { badgeLookup, householdBadges, reissueBadge } from '../usecases/badges'
import { setServicePhone } from '../usecases/service-phone'
import { addItem, getCatalog, removeItem, setParcelHold, setSoldOut } from '../usecases/community-settings'
import { getMe, setPrefs } from '../usecases/me'
import {
  advanceOrder,
  cancelOrder,
  claimOrder,
  confirmOrder,
  deliverOrder,
  rateOrder,
  releaseOrder,
} from '../usecases/order-commands'
import { getOrder, myOrders, squadBoard, squadTasks } from '../usecases/order-queries'
import { placeOrder } from '../usecases/place-order'
import { coordLedger, exportLedger } from '../usecases/ledger'
import {
  listInbox,
  listRobots,
  markInboxRead,
  recordConsent,
  robotLog,
  announcement,
  sendNotice,
  setRobot,
  subscribeInfo,
  testRobot,
} from '../usecases/notify'
import { repeatOrder } from '../usecases/repeat-order'
import { communityHouseholds, issueInvite, joinSquad, listInvites, setHousehold, squadMembers } from '../usecases/squad-membership'
import { coordFollowups, coordStats, resolveFollowup } from '../usecases/coordinator'
import { importHouseholds } from '../usecases/register-import'
import { buildingMap } from '../usecases/register-map'
import { attachSealPhoto, photoUrl } from '../usecases/photos'
import { addPartner, disinfectParcel, parcelArrived, reassignOrder, stepOrder } from '../usecases/squad-commands'
import { cancelProxyOrder } from '../usecases/proxy-cancel'
import { setDeadlines, setRetention } from '../usecases/community-settings'
import { deactivateSquadMember } from '../usecases/squad-deactivate'
import { listGrids, setGrid } from '../usecases/grids'
import { listAudit } from '../usecases/audit'
import {
  campaignTasks,
  createCampaign,
  declineCampaign,
  getCampaign,
  listCampaigns,
  myCampaigns,
  tickCampaign,
  untickCampaign,
} from '../usecases/campaigns'

export type Handler<A extends ActionName> = (deps: Deps, actor: Actor, input: ParsedInputOf<A>) => Promise<OutputOf<A>>

export const HANDLERS: { [A in ActionName]: Handler<A> } = {
  'me.get': (d, a) => getMe(d, a),
  'catalog.get': (d, a) => getCatalog(d, a),
  'me.setPrefs': setPrefs,
  'household.join': joinHousehold,
  'community.setup': setupCommunity,
  'order.place': placeOrder,
  'order.mine': (d, a) => myOrders(d, a),
  'order.get': getOrder,
  'order.cancel': cancelOrder,
  'order.confirm': confirmOrder,
  'order.rate': rateOrder,
  'order.repeat': repeatOrder,
  'squad.board': squadBoard,
  'squad.tasks': (d, a) => squadTasks(d, a),
  'order.claim': claimOrder,
  'order.release': releaseOrder,
  'order.advance': advanceOrder,
  'order.deliver': deliverOrder,
  'order.step': stepOrder,
  'order.addPartner': addPartner,
  'order.parcelArrived': parcelArrived,
  'order.disinfectParcel': disinfectParcel,
  'order.cancelProxy': cancelProxyOrder,
  'order.sealPhoto': attachSealPhoto,
  'photo.url': photoUrl,
  'order.reassign': reassignOrder,
  'inbox.list': listInbox,
  'inbox.markRead': markInboxRead,
  'notify.templates': (d, a) => subscribeInfo(d, a),
  'notify.consent': recordConsent,
  'squad.invite': (d, a) => issueInvite(d, a),
  'squad.invites': (d, a) => listInvites(d, a),
  'squad.join': joinSquad,
  'squad.members': (d, a) => squadMembers(d, a),
  'squad.households': (d, a) => communityHouseholds(d, a),
  'squad.badgeLookup': badgeLookup,
  'coord.setHousehold': setHousehold,
  'notify.announcement': announcement,
  'coord.stats': (d, a) => coordStats(d, a),
  'coord.setParcelHold': setParcelHold,
  'coord.setServicePhone': setServicePhone,
  'coord.setSoldOut': setSoldOut,
  'coord.addItem': addItem,
  'coord.removeItem': removeItem,
  'coord.householdCodes': householdCodes,
  'coord.householdBadges': householdBadges,
  'coord.reissueBadge': reissueBadge,
  'coord.followups': (d, a) => coordFollowups(d, a),
  'coord.importHouseholds': importHouseholds,
  'coord.buildingMap': buildingMap,
  'coord.resolveFollowup': resolveFollowup,
  'coord.ledger': coordLedger,
  'coord.exportLedger': exportLedger,
  'coord.setDeadlines': setDeadlines,
  'squad.deactivate': deactivateSquadMember,
  'coord.grids': (d, a) => listGrids(d, a),
  'coord.setGrid': setGrid,
  'coord.audit': listAudit,
  'coord.setRetention': setRetention,
  'robot.list': (d, a) => listRobots(d, a),
  'robot.set': setRobot,
  'robot.test': testRobot,
  'robot.notice': sendNotice,
  'robot.log': robotLog,
  'campaign.create': (d, a, i) => createCampaign(d, a, i),
  'campaign.list': (d, a) => listCampaigns(d, a),
  'campaign.get': getCampaign,
  'campaign.tasks': campaignTasks,
  'campaign.tick': tickCampaign,
  'campaign.untick': untickCampaign,
  'campaign.decline': declineCampaign,
  'campaign.mine': (d, a) => myCampaigns(d, a),
}
