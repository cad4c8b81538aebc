import type { JobHandler } from '../schedule/index.js';
import type { CasesService } from './cases.service.js';

/**
 * The case-clock sweep as a periodic job (ADR 0010): one `cases.clocks` row, due every `everyMs`,
 * run by whichever process claims it. Idempotent: each due clock and reminder is claimed in its own
 * transaction under the case's row lock (ADR 0005), so a second run after a crash fires nothing twice.
 * Its cost follows the due clocks (partial indexes on open deadlines), not all cases.
 */
export function clockSweepJob(cases: CasesService, everyMs: number): JobHandler {
  return { kind: 'cases.clocks', mode: 'idempotent', every: everyMs, logAs: 'clock sweep', run: () => cases.sweep() };
}
