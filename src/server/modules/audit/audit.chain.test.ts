import { describe, expect, it } from 'vitest';
import {
  AUDIT_PROTECTIONS,
  type AuditFields,
  type ChainedEvent,
  ChainVerifier,
  checkAnchor,
  checkLiveHead,
  GENESIS_HASH,
  hashEvent,
  missingProtections,
} from './audit.chain.js';

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

describe('anchoring the head (ADR 0008)', () => {
  const events = chain(5);
  const at = (seq: number) => events[seq - 1]?.hash;
  const tip = { seq: 5, hash: at(5) as string };

  it('accepts the head row only when it is exactly the end of the chain', () => {
    expect(checkAnchor('audit_head', tip, tip, at(5), true)).toBeUndefined();
    expect(checkAnchor('audit_head', { seq: 6, hash: 'f'.repeat(64) }, tip, undefined, true)).toEqual({
      code: 'truncated',
      source: 'audit_head',
      expectedSeq: 6,
      lastSeq: 5,
    });
    // Events the head never heard of: appended behind the application's back.
    expect(checkAnchor('audit_head', { seq: 4, hash: at(4) as string }, tip, at(4), true)).toEqual({ code: 'head_mismatch', source: 'audit_head', seq: 5 });
  });

  it('accepts an older anchor kept elsewhere when the chain holds its event, and names a rewritten one', () => {
    expect(checkAnchor('anchor.json', { seq: 3, hash: at(3) as string }, tip, at(3), false)).toBeUndefined();
    expect(checkAnchor('anchor.json', { seq: 0, hash: GENESIS_HASH }, tip, undefined, false)).toBeUndefined();
    expect(checkAnchor('anchor.json', { seq: 3, hash: at(2) as string }, tip, at(3), false)).toEqual({ code: 'head_mismatch', source: 'anchor.json', seq: 3 });
  });

  it('names each protecting trigger that is missing, disabled or rewritten', () => {
    const intact = Object.entries(AUDIT_PROTECTIONS.sqlite).map(([name, body]) => ({ name, enabled: true, body: body.replace(/ BEGIN /, '\n  BEGIN ') }));
    expect(missingProtections('sqlite', intact)).toEqual([]);
    type Found = (typeof intact)[number];
    const [first, second, third, ...rest] = intact as [Found, Found, Found, ...Found[]];
    const weakened = { ...second, body: second.body.replace('BEGIN', 'WHEN 0 BEGIN') };
    const disabled = { ...third, enabled: false };
    expect(missingProtections('sqlite', [weakened, disabled, ...rest])).toEqual([first.name, second.name, third.name]);
  });
});

describe('the head of a chain that grows while it is walked', () => {
  const h = (seq: number) => ({ seq, hash: String(seq % 10).repeat(64) });
  it('takes events appended after the walk (the head moved past the tip) for growth, not a cut tail', () => {
    expect(checkLiveHead(h(5), h(9), h(7), h(5).hash)).toBeUndefined();
    expect(checkLiveHead(h(5), h(9), h(9), h(5).hash)).toBeUndefined();
    expect(checkLiveHead(h(5), h(5), h(5), h(5).hash)).toBeUndefined();
  });
  it('reports a chain that ends before the head read first (cut), beyond the head read last, or with another hash there', () => {
    expect(checkLiveHead(h(5), h(9), h(4), undefined)).toMatchObject({ code: 'truncated', expectedSeq: 5, lastSeq: 4 });
    expect(checkLiveHead(h(5), h(6), h(8), h(5).hash)).toMatchObject({ code: 'head_mismatch', seq: 8 });
    expect(checkLiveHead(h(5), h(9), h(7), 'f'.repeat(64))).toMatchObject({ code: 'head_mismatch', seq: 5 });
    expect(checkLiveHead(h(5), { seq: 7, hash: 'a'.repeat(64) }, h(7), h(5).hash)).toMatchObject({ code: 'head_mismatch', seq: 7 });
  });
});
