/**
 * The default supplies catalog (a coordinator can edit a community's copy later).
 * Item ids are stable: orders and "repeat order" refer to them.
 */
export type Unit = '袋' | '斤' | '桶' | '盒' | '份'
export const UNITS: readonly Unit[] = ['袋', '斤', '桶', '盒', '份']

export interface CatalogItem {
  id: string
  name: string
  unit: Unit
  /** Medicine lines carry a free name; prescription medicine is flagged. */
  freeName?: boolean
  /** 暂缺: the community has none right now (set by its coordinator); residents cannot order it. */
  soldOut?: boolean
  /** Added by the community's coordinator (not in the default): can be removed again. */
  added?: boolean
}

/** An item a coordinator added to their community's catalog, in one of the default categories. */
export interface ExtraItem {
  id: string
  categoryId: string
  name: string
  unit: Unit
}

export const MAX_EXTRA_ITEMS = 30

export interface CatalogCategory {
  id: string
  name: string
  items: CatalogItem[]
}

export const OTHER_ITEM_ID = 'other'
export const MEDICINE_ITEM_ID = 'medicine'

export const DEFAULT_CATALOG: readonly CatalogCategory[] = [
  {
    id: 'grain',
    name: '粮油',
    items: [
      { id: 'rice', name: '大米', unit: '袋' },
      { id: 'flour', name: '白面', unit: '袋' },
      { id: 'oil', name: '食用油', unit: '桶' },
    ],
  },
  {
    id: 'produce',
    name: '蔬菜水果',
    items: [
      { id: 'cabbage', name: '白菜', unit: '斤' },
      { id: 'potato', name: '土豆', unit: '斤' },
      { id: 'tomato', name: '西红柿', unit: '斤' },
      { id: 'egg', name: '鸡蛋', unit: '斤' },
      { id: 'apple', name: '苹果', unit: '斤' },
    ],
  },
  { id: 'water', name: '饮用水', items: [{ id: 'water20', name: '20L桶装水', unit: '桶' }] },
  { id: 'medicine', name: '药品', items: [{ id: MEDICINE_ITEM_ID, name: '药品', unit: '盒', freeName: true }] },
  {
    id: 'daily',
    name: '日用品',
    items: [
      { id: 'tissue', name: '卫生纸', unit: '袋' },
      { id: 'detergent', name: '洗衣液', unit: '桶' },
      { id: 'trashbag', name: '垃圾袋', unit: '盒' },
    ],
  },
  {
    id: 'epidemic',
    name: '防疫物资',
    items: [
      { id: 'mask', name: '口罩', unit: '盒' },
      { id: 'alcohol', name: '酒精', unit: '盒' },
      { id: 'antigen', name: '抗原试剂', unit: '盒' },
    ],
  },
  {
    id: 'snack',
    name: '零食/糖',
    items: [
      { id: 'sugar', name: '白糖', unit: '袋' },
      { id: 'candy', name: '糖果', unit: '袋' },
      { id: 'milk', name: '牛奶', unit: '盒' },
    ],
  },
  { id: 'other', name: '其他', items: [{ id: OTHER_ITEM_ID, name: '其他', unit: '份', freeName: true }] },
]

/** Categories a coordinator can add items to: those ordered by item (not 药品 and 其他, ordered by name). */
export const EXTENSIBLE_CATEGORIES: readonly string[] = DEFAULT_CATALOG.filter((c) => c.items.every((i) => !i.freeName)).map((c) => c.id)

/**
 * The catalog as a community has it now: the default, the items its coordinator added (after the
 * default ones of their category), and its 暂缺 items marked.
 */
export function communityCatalog(c: { soldOut?: readonly string[]; extraItems?: readonly ExtraItem[] } = {}): CatalogCategory[] {
  const out = new Set(c.soldOut ?? [])
  const mark = (i: CatalogItem): CatalogItem => (out.has(i.id) && !i.freeName ? { ...i, soldOut: true } : { ...i })
  return DEFAULT_CATALOG.map((cat) => ({
    ...cat,
    items: [
      ...cat.items.map(mark),
      ...(c.extraItems ?? []).filter((x) => x.categoryId === cat.id).map((x) => mark({ id: x.id, name: x.name, unit: x.unit, added: true })),
    ],
  }))
}

export function findItem(catalog: readonly CatalogCategory[], id: string): CatalogItem | undefined {
  for (const c of catalog) for (const i of c.items) if (i.id === id) return i
  return undefined
}
