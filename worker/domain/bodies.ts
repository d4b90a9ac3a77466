import { compareIsoDates, type IsoDate } from './dates';
import { DomainError } from './errors';
import { isStars, type Stars } from './stars';
import { COUNCIL_LEVELS, type CouncilLevel } from './vocabulary';

/**
 * From this date the district step is abolished: the commune only reviews dossiers and the
 * province evaluates. A decision dated on this day already follows the new process.
 */
export const PROCESS_CHANGE_DATE: IsoDate = '2025-07-06';

function requireStars(stars: Stars): void {
  if (!isStars(stars)) {
    throw new DomainError('invalid_stars', `Star rating must be a whole number from 1 to 5, got ${String(stars)}`, `Hạng sao phải là số nguyên từ 1 đến 5, nhận được ${String(stars)}`);
  }
}

/** Whether a council at `level` may issue the recognising decision for `stars` on `decisionDate`. */
export function mayRecognise(level: CouncilLevel, stars: Stars, decisionDate: IsoDate): boolean {
  requireStars(stars);
  // Also validates the date, so a typo never silently selects the wrong process.
  const beforeChange = compareIsoDates(decisionDate, PROCESS_CHANGE_DATE) < 0;
  if (stars < 3) return false;
  switch (level) {
    case 'national':
      return stars === 5;
    case 'province':
      return stars === 3 || stars === 4;
    case 'district':
      // Some provinces delegated 3★ to districts; that ended with the district step.
      return stars === 3 && beforeChange;
    case 'commune':
      return false;
    default:
      return false;
  }
}

export function recognisingLevels(stars: Stars, decisionDate: IsoDate): CouncilLevel[] {
  return COUNCIL_LEVELS.filter((level) => mayRecognise(level, stars, decisionDate));
}
