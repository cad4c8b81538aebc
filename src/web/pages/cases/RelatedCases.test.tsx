// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import i18n from 'i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setupI18n } from '../../i18n/index.js';
import { renderAt } from '../../testing/mockApi.js';
import { RelatedCases } from './RelatedCases.js';

const ref = (id: number, number: string, title: string, stateLabel: string, closed = false) => ({
  id,
  type: 'test_report',
  typeName: '反映问题',
  number,
  title,
  state: 's',
  stateLabel,
  closed,
});

beforeAll(() => setupI18n('zh-CN'));
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('zh-CN');
});

describe('the cases a case is related to (issue 9 §4)', () => {
  it('shows the parent, the children with their states, and links each to its page', () => {
    renderAt(
      <RelatedCases
        detail={{
          parent: ref(1, 'FY-2026-0001', '皮带机头积煤', '已核实'),
          children: [ref(3, 'ZG-2026-0001', '整改：积煤', '已整改', true)],
          mergedInto: null,
          merged: [],
        }}
      />,
      { path: '/cases/2', route: '/cases/:id' },
    );
    expect(screen.getByTestId('related-parent').textContent).toBe('由此表单生成FY-2026-0001 皮带机头积煤已核实');
    expect(screen.getByTestId('related-children').textContent).toBe('生成的下级表单ZG-2026-0001 整改：积煤已整改');
    expect(screen.getByRole('link', { name: 'ZG-2026-0001 整改：积煤' }).getAttribute('href')).toBe('/cases/3');
    expect(screen.queryByTestId('related-mergedInto')).toBeNull();
  });

  it('says which case a merged case follows, and lists the cases merged into one, in English too', async () => {
    await i18n.changeLanguage('en');
    renderAt(
      <RelatedCases
        detail={{
          parent: null,
          children: [],
          mergedInto: { ...ref(5, 'FY-2026-0005', 'Belt head', 'Reported'), at: '2026-09-29T02:00:00.000Z' },
          merged: [ref(6, 'FY-2026-0006', 'Same belt', 'Merged')],
        }}
      />,
      { path: '/cases/2', route: '/cases/:id' },
    );
    expect(screen.getByTestId('related-mergedInto').textContent).toBe('Merged intoFY-2026-0005 Belt headReported');
    expect(screen.getByTestId('related-merged').textContent).toBe('Merged into this caseFY-2026-0006 Same beltMerged');
    expect(screen.getByTestId('related-cases').textContent).toContain('This case is concluded with FY-2026-0005; its people are told the result');
  });

  it('shows nothing for a case without relations (as a server before issue 9 §4 answers)', () => {
    const { container } = renderAt(<RelatedCases detail={{}} />, { path: '/cases/2', route: '/cases/:id' });
    expect(container.querySelector('[data-testid="related-cases"]')).toBeNull();
  });
});
