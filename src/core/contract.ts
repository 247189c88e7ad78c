/**
 * The action contract: every action the client can call, with its input schema, its output type
 * and the error codes it may answer besides the common ones. The client's `call()` and the api
 * dispatcher are both typed from this one table.
 */
import type * as v from 'valibot'
import type { ErrorCode } from './errors'
import * as S from './schemas'
import type { CatalogView, MeView, OrderList, OrderView } from './views'

export interface ActionDef<I extends v.GenericSchema, O> {
  input: I
  errors: readonly ErrorCode[]
  /** Phantom: carries the output type only. */
  output?: O
}

const action = <O>() => <I extends v.GenericSchema>(input: I, errors: readonly ErrorCode[] = []): ActionDef<I, O> => ({
  input,
  errors,
})

const ORDER_ERRORS = ['ORDER.NOT_FOUND', 'ORDER.INVALID_TRANSITION', 'ORDER.CONFLICT', 'AUTH.FORBIDDEN'] as const

export const CONTRACT = {
  /** Who am I: name and roles, from the server's records. */
  'me.get': action<MeView>()(S.Empty),
  'catalog.get': action<CatalogView>()(S.Empty),

  // resident
  'order.place': action<OrderView>()(S.PlaceOrderInput, ['HOUSEHOLD.NOT_MEMBER', 'HOUSEHOLD.NONE_BOUND', 'AUTH.FORBIDDEN']),
  'order.mine': action<OrderList>()(S.Empty, ['HOUSEHOLD.NONE_BOUND']),
  'order.get': action<OrderView>()(S.OrderIdInput, ['ORDER.NOT_FOUND', 'AUTH.FORBIDDEN']),
  'order.cancel': action<OrderView>()(S.CancelInput, ORDER_ERRORS),
  'order.confirm': action<OrderView>()(S.OrderIdInput, ORDER_ERRORS),
  'order.rate': action<OrderView>()(S.RateInput, [...ORDER_ERRORS, 'ORDER.ALREADY_RATED']),

  // squad
  'squad.board': action<OrderList>()(S.Empty, ['AUTH.FORBIDDEN']),
  'squad.tasks': action<OrderList>()(S.Empty, ['AUTH.FORBIDDEN']),
  'order.claim': action<OrderView>()(S.OrderIdInput, [...ORDER_ERRORS, 'ORDER.ALREADY_CLAIMED']),
  'order.release': action<OrderView>()(S.ReleaseInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER']),
  'order.advance': action<OrderView>()(S.AdvanceInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER']),
  'order.deliver': action<OrderView>()(S.DeliverInput, [...ORDER_ERRORS, 'ORDER.NOT_HOLDER']),
} as const

export type Contract = typeof CONTRACT
export type ActionName = keyof Contract
export type InputOf<A extends ActionName> = v.InferInput<Contract[A]['input']>
export type ParsedInputOf<A extends ActionName> = v.InferOutput<Contract[A]['input']>
export type OutputOf<A extends ActionName> = Contract[A] extends ActionDef<v.GenericSchema, infer O> ? O : never

export const ACTION_NAMES = Object.keys(CONTRACT) as ActionName[]
export const isActionName = (s: unknown): s is ActionName =>
  typeof s === 'string' && Object.prototype.hasOwnProperty.call(CONTRACT, s)

/** The envelope every call answers with, on every transport. */
export type Result<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; fields?: Record<string, string>; details?: Record<string, unknown> }
