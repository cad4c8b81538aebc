import { Tooltip } from 'antd';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarDay } from '../../types.js';

export interface YearGridProps {
  year: number;
  /** Days that differ from a plain Mon–Fri week (official and organization rows). */
  specialDays: CalendarDay[];
  /** The organization's own overrides (drawn with an outline). */
  overrides: { date: string; kind: 'holiday' | 'workday'; name: string }[];
  /** YYYY-MM-DD of today in the organization's zone, highlighted. */
  today?: string;
  /** When given, days are buttons (calendar managers add or remove overrides). */
  onDayClick?: (date: string) => void;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

/** How a day is drawn: off days from the data are holidays; working days with reason official_workday/org_workday are make-up days (班). */
export function dayKind(weekday: number, info: CalendarDay | undefined): DayKind {
  const weekend = weekday === 0 || weekday === 6;
  if (!info) return weekend ? 'weekend' : 'workday';
  if (!info.working) return info.reason === 'weekend' ? 'weekend' : 'holiday';
  if (info.reason === 'official_workday' || info.reason === 'org_workday') return 'makeup';
  return 'workday';
}

function MonthGrid({
  year,
  month,
  byDate,
  overrideDates,
  today,
  onDayClick,
}: {
  year: number;
  month: number;
  byDate: Map<string, CalendarDay>;
  overrideDates: Set<string>;
  today?: string;
  onDayClick?: (d: string) => void;
}) {
  const { t } = useTranslation();
  const weekdays = t('calendar.weekdaysShort').split(',');
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // Monday-first weeks, as Chinese calendars print them.
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: React.ReactNode[] = [];
  for (let i = 0; i < lead; i++) cells.push(<span key={`b${i}`} aria-hidden="true" />);
  for (let d = 1; d <= days; d++) {
    const date = isoDate(year, month, d);
    const weekday = (first.getUTCDay() + d - 1) % 7;
    const info = byDate.get(date);
    const kind = dayKind(weekday, info);
    const override = overrideDates.has(date);
    const cls = ['day', kind === 'workday' ? '' : kind, override ? 'override' : '', date === today ? 'today' : ''].filter(Boolean).join(' ');
    const reason = info ? t(`calendar.reason.${info.reason as 'weekday'}`, { defaultValue: info.reason }) : '';
    const label = [date, info?.name, reason].filter(Boolean).join(' ');
    const mark = kind === 'makeup' ? t('calendar.makeupMark') : kind === 'holiday' && info?.name ? t('calendar.restMark') : null;
    const content = (
      <>
        {d}
        {mark ? (
          <span className="mark" aria-hidden="true">
            {mark}
          </span>
        ) : null}
      </>
    );
    const props = { className: cls, 'data-date': date, 'data-kind': kind, 'data-override': override ? '1' : undefined, 'aria-label': label };
    const cell = onDayClick ? (
      <button type="button" {...props} onClick={() => onDayClick(date)}>
        {content}
      </button>
    ) : (
      <span {...props} title={info?.name ?? undefined}>
        {content}
      </span>
    );
    cells.push(
      info?.name ? (
        <Tooltip key={date} title={`${info.name}（${reason}）`} mouseEnterDelay={0.15}>
          {cell}
        </Tooltip>
      ) : (
        <span key={date} style={{ display: 'contents' }}>
          {cell}
        </span>
      ),
    );
  }
  return (
    <section className="month" aria-label={t('calendar.month', { month, name: monthName(month) })}>
      <h4>{t('calendar.month', { month, name: monthName(month) })}</h4>
      <div className="month-grid">
        {weekdays.map((w, i) => (
          <span key={w} className="wd" style={i >= 5 ? { color: '#8c8c8c' } : undefined}>
            {w}
          </span>
        ))}
        {cells}
      </div>
    </section>
  );
}

const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const monthName = (m: number) => MONTHS_EN[m - 1] ?? String(m);
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** A whole year at a glance: 12 small month grids. */
export const YearGrid = memo(function YearGrid({ year, specialDays, overrides, today, onDayClick }: YearGridProps) {
  const byDate = new Map(specialDays.map((d) => [d.date, d]));
  const overrideDates = new Set(overrides.map((o) => o.date));
  return (
    <div className="year-grid" data-testid="year-grid">
      {MONTHS.map((month) => (
        <MonthGrid key={month} year={year} month={month} byDate={byDate} overrideDates={overrideDates} today={today} onDayClick={onDayClick} />
      ))}
    </div>
  );
});
