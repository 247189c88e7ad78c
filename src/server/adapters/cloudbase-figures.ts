/** FiguresRepo on the cloud database: `day_figures`, `_id` = `${communityId}:${date}`. */
import type { DayFigures } from '../../core/figures'
import { COLLECTIONS } from '../cloud/manifest'
import { MAX_PAGE, type FiguresRepo } from '../ports'
import type { CloudDb } from './cloud-db'

export function openCloudFigures(db: CloudDb): FiguresRepo {
  const _ = db.command
  return {
    async get(communityId, dates) {
      if (dates.length === 0) return []
      const { data } = await db
        .collection(COLLECTIONS.dayFigures)
        .where({ communityId, date: _.in([...dates]) })
        .limit(Math.min(MAX_PAGE, dates.length))
        .get()
      return data.map((d) => d.figures as DayFigures)
    },
    async put(communityId, f) {
      await db.collection(COLLECTIONS.dayFigures).doc(`${communityId}:${f.date}`).set({ data: { communityId, date: f.date, figures: f } })
    },
  }
}
