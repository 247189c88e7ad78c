/**
 * Setting up a community from nothing (community.setup): the limits of the building grid, how many
 * households it makes, and how a setup code is typed. Pure; the page previews with the same numbers
 * the server enforces.
 */

export const SETUP_LIMITS = {
  nameMin: 2,
  nameMax: 30,
  buildingNameMax: 10,
  buildingsMax: 50,
  unitsMax: 20,
  floorsMax: 40,
  roomsPerFloorMax: 12,
  /** All buildings together: one community's register stays readable and one setup call stays bounded. */
  householdsMax: 5000,
} as const

export interface BuildingPlan {
  name: string
  units: number
  floors: number
  roomsPerFloor: number
}

/** What a new setup page starts with: 1号楼, 2 units × 6 floors × 2 rooms. */
export const DEFAULT_BUILDING: BuildingPlan = { name: '1号楼', units: 2, floors: 6, roomsPerFloor: 2 }

export function householdsOf(b: Pick<BuildingPlan, 'units' | 'floors' | 'roomsPerFloor'>): number {
  return b.units * b.floors * b.roomsPerFloor
}

export function totalHouseholds(buildings: readonly Pick<BuildingPlan, 'units' | 'floors' | 'roomsPerFloor'>[]): number {
  return buildings.reduce((n, b) => n + householdsOf(b), 0)
}

/** Room number as on the door: floor × 100 + n (502 = floor 5, room 2; 1012 = floor 10, room 12). */
export function roomNumber(floor: number, n: number): string {
  return String(floor * 100 + n)
}

/** The next free 'N号楼' name after the ones taken. */
export function nextBuildingName(taken: readonly string[]): string {
  for (let n = 1; ; n++) if (!taken.includes(`${n}号楼`)) return `${n}号楼`
}

/** Setup codes the local host makes: 8 characters without look-alikes (no 0/O, 1/I/L). */
export const SETUP_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
export const SETUP_CODE_LENGTH = 8

/** How a setup code is compared: spaces and dashes out, upper case (also for a configured ZJ_SETUP_CODE). */
export function normalizeSetupCode(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s-]/g, '')
    .toUpperCase()
}
