// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setupI18n } from '../../i18n/index.js';
import type { CalendarDay } from '../../types.js';
import { dayKind, YearGrid } from './YearGrid.js';

const day = (date: string, working: boolean, reason: string, name: string | null): CalendarDay => ({ date, working, reason, name, officialDataMissing: false });

// The 2026 Spring Festival as the server sends it: 2/15–2/23 off, Saturdays 2/14 and 2/28 are make-up working days.
const special: CalendarDay[] = [
  day('2026-02-14', true, 'official_workday', '春节调休'),
  ...['15', '16', '17', '18', '19', '20', '21', '22', '23'].map((d) => day(`2026-02-${d}`, false, 'official_holiday', '春节')),
  day('2026-02-28', true, 'official_workday', '春节调休'),
  day('2026-03-16', false, 'org_holiday', '厂庆'),
  day('2026-03-21', true, 'org_workday', '防汛值班'),
];
const overrides = [
  { date: '2026-03-16', kind: 'holiday' as const, name: '厂庆' },
  { date: '2026-03-21', kind: 'workday' as const, name: '防汛值班' },
];

const cell = (container: HTMLElement, date: string) => {
  const el = container.querySelector<HTMLElement>(`[data-date="${date}"]`);
  if (!el) throw new Error(`no cell for ${date}`);
  return el;
};

beforeAll(() => {
  setupI18n('zh-CN');
});
afterEach(cleanup);

describe('YearGrid (the year at a glance)', () => {
  it('draws twelve months with every day of a leap and a common year', () => {
    const { container } = render(<YearGrid year={2026} specialDays={[]} overrides={[]} />);
    expect(container.querySelectorAll('section.month')).toHaveLength(12);
    expect(container.querySelectorAll('[data-date]')).toHaveLength(365);
    cleanup();
    const leap = render(<YearGrid year={2028} specialDays={[]} overrides={[]} />);
    expect(leap.container.querySelectorAll('[data-date]')).toHaveLength(366);
    expect(leap.container.querySelector('[data-date="2028-02-29"]')).not.toBeNull();
  });

  it('marks official make-up working days with 班 and holidays in red with their name', () => {
    const { container } = render(<YearGrid year={2026} specialDays={special} overrides={overrides} />);
    const makeup = cell(container, '2026-02-14');
    expect(makeup.dataset.kind).toBe('makeup');
    expect(makeup.className).toContain('makeup');
    expect(makeup.textContent).toBe('14班');
    expect(cell(container, '2026-02-28').textContent).toContain('班');

    const holiday = cell(container, '2026-02-17'); // a Tuesday inside the Spring Festival
    expect(holiday.dataset.kind).toBe('holiday');
    expect(holiday.className).toContain('holiday');
    expect(holiday.getAttribute('aria-label')).toContain('春节');
    expect(holiday.getAttribute('aria-label')).toContain('法定节假日');
    expect(holiday.textContent).not.toContain('班');
  });

  it('greys plain weekends, leaves plain weekdays alone and starts weeks on Monday', () => {
    const { container } = render(<YearGrid year={2026} specialDays={special} overrides={overrides} />);
    expect(cell(container, '2026-02-07').dataset.kind).toBe('weekend'); // Saturday
    expect(cell(container, '2026-02-08').dataset.kind).toBe('weekend'); // Sunday
    expect(cell(container, '2026-02-10').dataset.kind).toBe('workday'); // Tuesday
    // February 2026 starts on a Sunday: six blanks before it in a Monday-first grid.
    const feb = container.querySelectorAll('section.month')[1]!;
    const grid = feb.querySelector('.month-grid')!;
    const blanks = [...grid.children].slice(7).findIndex((c) => c.getAttribute('data-date') !== null || c.querySelector('[data-date]'));
    expect(blanks).toBe(6);
  });

  it('outlines the organization overrides and counts an org working day as make-up (班)', () => {
    const { container } = render(<YearGrid year={2026} specialDays={special} overrides={overrides} />);
    const off = cell(container, '2026-03-16');
    expect(off.dataset.override).toBe('1');
    expect(off.className).toContain('override');
    expect(off.dataset.kind).toBe('holiday');
    const on = cell(container, '2026-03-21');
    expect(on.dataset.kind).toBe('makeup');
    expect(on.className).toContain('override');
    expect(cell(container, '2026-02-17').dataset.override).toBeUndefined();
  });

  it('makes days clickable only for calendar managers', () => {
    const onDayClick = vi.fn();
    const { container, rerender } = render(<YearGrid year={2026} specialDays={special} overrides={overrides} />);
    expect(cell(container, '2026-05-06').tagName).toBe('SPAN');
    rerender(<YearGrid year={2026} specialDays={special} overrides={overrides} onDayClick={onDayClick} />);
    const button = cell(container, '2026-05-06');
    expect(button.tagName).toBe('BUTTON');
    fireEvent.click(button);
    expect(onDayClick).toHaveBeenCalledWith('2026-05-06');
  });

  it('highlights today', () => {
    render(<YearGrid year={2026} specialDays={[]} overrides={[]} today="2026-10-08" />);
    expect(screen.getByLabelText('2026-10-08').className).toContain('today');
  });
});

describe('dayKind', () => {
  it('follows the server reason, not the weekday', () => {
    expect(dayKind(6, day('2026-02-14', true, 'official_workday', '春节调休'))).toBe('makeup');
    expect(dayKind(2, day('2026-02-17', false, 'official_holiday', '春节'))).toBe('holiday');
    expect(dayKind(3, day('2027-01-06', false, 'weekend', null))).toBe('weekend');
    expect(dayKind(0, undefined)).toBe('weekend');
    expect(dayKind(1, undefined)).toBe('workday');
  });
});
