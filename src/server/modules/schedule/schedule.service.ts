import type { z } from 'zod';
import type { SchedulePreviewInput } from '../../../contracts/schedule.js';
import { AppError } from '../../platform/http/errors.js';
import type { Lang } from '../../platform/http/messages.js';
import { type CalendarFlag, type CalendarService, describeFlags } from '../calendar/index.js';
import { occurrences, RecurrenceError, rangeFlags } from './recurrence.core.js';

/** Thin: loads the organization's calendar and asks the pure recurrence core. */
export function createScheduleService({ calendar }: { calendar: CalendarService }) {
  const withMessages = (flags: CalendarFlag[], lang: Lang) => {
    const texts = describeFlags(flags, lang);
    return flags.map((f, i) => ({ ...f, message: texts[i] ?? '' }));
  };
  return {
    async preview(lang: Lang, input: z.infer<typeof SchedulePreviewInput>) {
      const cal = await calendar.load();
      try {
        const occ = occurrences(input.rule, cal, input.from, input.to, lang);
        return {
          timeZone: cal.timeZone,
          occurrences: occ.map((o) => ({ ...o, flags: withMessages(o.flags, lang) })),
          flags: withMessages(rangeFlags(cal, input.from, input.to, input.rule), lang),
        };
      } catch (e) {
        if (e instanceof RecurrenceError) {
          throw new AppError(
            'VALIDATION',
            {},
            e.problems.map((p) => ({ path: p.path === 'from' || p.path === 'to' ? p.path : `rule.${p.path}`, key: p.key, params: {} })),
          );
        }
        throw e;
      }
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
