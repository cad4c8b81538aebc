import { describe, expect, it } from 'vitest';
import { type AuditFields, type ChainedEvent, ChainVerifier, GENESIS_HASH, hashEvent } from './audit.chain.js';

function chain(n: number): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const f: AuditFields = {
      seq,
      at: `2026-11-0${seq}T00:00:00.000Z`,
      actorAccountId: 1,
      actorName: '管理员',
      action: 'unit.update',
      entityType: 'unit',
      entityId: String(seq),
      unitId: 1,
      before: '{"name":"甲"}',
      after: '{"name":"乙"}',
      requestId: 'r',
      ip: '127.0.0.1',
    };
    const hash = hashEvent(prev, f);
    out.push({ ...f, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const verify = (events: ChainedEvent[]) => {
  const v = new ChainVerifier();
  for (const e of events) if (!v.push(e)) break;
  return v;
};

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    const v = verify(chain(5));
    expect(v.firstBreak).toBeUndefined();
    expect(v.checked).toBe(5);
  });

  it('names an edited event', () => {
    const events = chain(5);
    events[2] = { ...(events[2] as ChainedEvent), after: '{"name":"丙"}' };
    expect(verify(events).firstBreak).toEqual({ seq: 3, reason: 'hash_mismatch' });
  });

  it('names a removed event', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verify(events).firstBreak).toEqual({ seq: 3, reason: 'sequence_gap' });
  });

  it('names an event whose hash was recomputed after an edit (the link to it breaks next)', () => {
    const events = chain(5);
    const e = { ...(events[1] as ChainedEvent), actorName: '他人' };
    e.hash = hashEvent(e.prevHash, e);
    events[1] = e;
    expect(verify(events).firstBreak).toEqual({ seq: 3, reason: 'prev_hash_mismatch' });
  });

  it('changes the hash when any field changes', () => {
    const [e] = chain(1) as [ChainedEvent];
    for (const k of ['at', 'actorName', 'action', 'entityId', 'before', 'after', 'requestId', 'ip'] as const) {
      expect(hashEvent(e.prevHash, { ...e, [k]: 'x' })).not.toBe(e.hash);
    }
  });
});
