import { describe, expect, it } from 'vitest';
import { CASE_TYPES } from '../cases/index.js';
import { renderNotification } from './notifications.messages.js';

describe('notification texts', () => {
  const kinds = new Set<string>(['case.reminder']);
  for (const def of CASE_TYPES.values()) {
    for (const t of def.transitions) for (const n of t.notify ?? []) kinds.add(n.message);
    for (const c of def.clocks) for (const e of c.onExpiry) if (e.kind === 'notify') kinds.add(e.message);
    for (const t of def.transitions) for (const m of t.ifMissed ?? []) for (const e of m.effects) if (e.kind === 'notify') kinds.add(e.message);
  }

  it.each([...kinds])('has a Chinese and an English text for %s', (kind) => {
    expect(renderNotification(kind, {}, 'zh-CN')).not.toBe(kind);
    expect(renderNotification(kind, {}, 'en')).not.toBe(kind);
  });

  it('fills parameters and shows a dash for missing ones', () => {
    expect(renderNotification('cf.sent_back', { number: 'LXD-2026-0001', title: '台账', actor: '李签发' }, 'zh-CN')).toBe(
      '工作联系单 LXD-2026-0001《台账》被 李签发 退回：—',
    );
  });
});
