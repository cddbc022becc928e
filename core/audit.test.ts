// The audit hash chain: a chain as linked verifies; changing any field of any row, deleting,
// reordering or inserting a row is reported at the seq where the chain breaks.
import { describe, expect, it } from 'vitest';
import { canonicalJson, GENESIS_HASH, hashEntry, linkEntries, verifyChain, type AuditDraft, type AuditEntry } from './audit.ts';

const T = Date.UTC(2026, 10, 23, 1);
const dispatcher = { id: 'd1', name: '区派遣员', role: 'dispatcher', org: '340803' };

const drafts: AuditDraft[] = [
  { at: T, actor: dispatcher, action: 'auth:login', scope: '340803', subject: 'd1' },
  { at: T + 1000, actor: dispatcher, action: 'case:file', scope: '340803001002', subject: 'C-1', before: { stage: 'reported' }, after: { stage: 'filed' }, eventSeq: 7 },
  { at: T + 2000, actor: dispatcher, action: 'case:dispatch', scope: '340803001002', subject: 'C-1', before: { stage: 'filed' }, after: { stage: 'dispatched', unit: 'DEPT-CG' }, eventSeq: 9 },
  { at: T + 3000, actor: null, action: 'config:change', scope: '340803', subject: 'SLA_FILE', before: { warnFraction: 0.8 }, after: { warnFraction: 0.7 } },
  { at: T + 4000, actor: dispatcher, action: 'auth:logout', scope: '340803', subject: 'd1' },
];
const chain = () => linkEntries(null, drafts);
const copy = (entries: AuditEntry[]) => entries.map((e) => structuredClone(e));

describe('audit hash chain', () => {
  it('links entries from the genesis hash and verifies them, also page by page', () => {
    const entries = chain();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0].prevHash).toBe(GENESIS_HASH);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]).toMatchObject({ before: null, after: null, eventSeq: null });
    expect(verifyChain(entries)).toEqual({ ok: true, count: 5, head: { seq: 5, hash: entries[4].hash } });
    const first = verifyChain(entries.slice(0, 2));
    expect(first.ok).toBe(true);
    expect(verifyChain(entries.slice(2), first.ok ? first.head : null)).toMatchObject({ ok: true, count: 3 });
    expect(verifyChain([])).toEqual({ ok: true, count: 0, head: null });
    // Appending later continues the same chain.
    const more = linkEntries({ seq: 5, hash: entries[4].hash }, [drafts[0]]);
    expect(verifyChain([...entries, ...more])).toMatchObject({ ok: true, count: 6 });
  });

  it('hashes the same value the same whatever its key order, and differently for any change', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined, 'x'], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,null,"x"]},"b":1}');
    const e = chain()[1];
    const reordered = { eventSeq: e.eventSeq, subject: e.subject, after: { unit: undefined, stage: 'filed' }, before: e.before, scope: e.scope, action: e.action, actor: e.actor, at: e.at, seq: e.seq };
    expect(hashEntry(e.prevHash, reordered as never)).toBe(e.hash);
    expect(hashEntry(GENESIS_HASH, e)).not.toBe(e.hash);
  });

  it('detects a change to any field of any row at that row', () => {
    const changes: Array<[string, (e: AuditEntry) => void]> = [
      ['seq', (e) => { e.seq += 10; }],
      ['at', (e) => { e.at += 1; }],
      ['actor.name', (e) => { if (e.actor) e.actor.name = '别人'; else e.actor = dispatcher; }],
      ['actor→null', (e) => { e.actor = e.actor ? null : dispatcher; }],
      ['action', (e) => { e.action = 'case:void'; }],
      ['scope', (e) => { e.scope = '340803002'; }],
      ['subject', (e) => { e.subject = 'C-2'; }],
      ['before', (e) => { e.before = { stage: 'closed' }; }],
      ['after', (e) => { e.after = { stage: 'voided' }; }],
      ['eventSeq', (e) => { e.eventSeq = 99; }],
      ['prevHash', (e) => { e.prevHash = GENESIS_HASH.replace(/^0/, '1'); }],
      ['hash', (e) => { e.hash = e.hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')); }],
    ];
    for (const [field, change] of changes) {
      for (let i = 0; i < 5; i++) {
        const entries = copy(chain());
        change(entries[i]);
        const verdict = verifyChain(entries);
        expect(verdict, `${field} of row ${i + 1}`).toMatchObject({ ok: false, at: i + 1 });
      }
    }
  });

  it('detects a deleted row at its seq, the last one only against a noted head', () => {
    for (let i = 0; i < 4; i++) {
      const entries = chain();
      entries.splice(i, 1);
      expect(verifyChain(entries)).toEqual({ ok: false, at: i + 1, reason: `expected entry ${i + 1} here, found ${i + 2}: an entry was deleted, moved or inserted` });
    }
    // Cutting off the tail leaves a valid shorter chain: its head differs from the one noted before.
    const entries = chain();
    const head = entries[4].hash;
    const cut = verifyChain(entries.slice(0, 4));
    expect(cut.ok && cut.head?.hash).not.toBe(head);
  });

  it('detects reordered rows, whether their seq moved with them or not', () => {
    const swapped = chain();
    [swapped[1], swapped[2]] = [swapped[2], swapped[1]];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, at: 2, reason: expect.stringContaining('expected entry') });
    // The contents exchanged under the same seq numbers (what UPDATEs of two rows would do).
    const exchanged = copy(chain());
    const [a, b] = [exchanged[1], exchanged[2]];
    [exchanged[1], exchanged[2]] = [{ ...b, seq: a.seq }, { ...a, seq: b.seq }];
    expect(verifyChain(exchanged)).toMatchObject({ ok: false, at: 2 });
  });

  it('detects an inserted row: at its seq when forged, at the row after it when linked properly', () => {
    const entries = chain();
    const forged: AuditEntry = { ...entries[2], seq: 3, action: 'case:void', hash: 'f'.repeat(64) };
    const renumbered = entries.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }));
    expect(verifyChain([...entries.slice(0, 2), forged, ...renumbered])).toMatchObject({ ok: false, at: 3, reason: expect.stringContaining('hash does not match') });

    // A forger who links the new row to the one before still breaks the link to the row after.
    const [linked] = linkEntries({ seq: 2, hash: entries[1].hash }, [{ at: T + 2500, actor: dispatcher, action: 'case:void', scope: '340803', subject: 'C-1' }]);
    expect(verifyChain([...entries.slice(0, 2), linked, ...renumbered])).toMatchObject({ ok: false, at: 4, reason: 'prevHash is not the hash of entry 3' });
    // Without renumbering, the old row 3 now sits where 4 belongs.
    expect(verifyChain([...entries.slice(0, 2), linked, ...entries.slice(2)])).toMatchObject({ ok: false, at: 4, reason: expect.stringContaining('expected entry') });
  });

  it('refuses drafts that are not entries, chaining none of them', () => {
    expect(() => linkEntries(null, [drafts[0], { ...drafts[1], action: 'Dispatch' }])).toThrow(/context:verb/);
    expect(() => linkEntries(null, [{ ...drafts[0], scope: '' }])).toThrow(/scope/);
    expect(() => linkEntries(null, [{ ...drafts[0], at: Number.NaN }])).toThrow(/UTC ms/);
    expect(() => linkEntries(null, [{ ...drafts[0], after: { text: 'x'.repeat(9000) } }])).toThrow(/after is longer/);
    // What is stored is what verifies: Dates become strings, extra actor fields are dropped.
    const [e] = linkEntries(null, [{ ...drafts[0], actor: { ...dispatcher, secret: 'x' } as never, after: { when: new Date(T) } }]);
    expect(e.actor).toEqual(dispatcher);
    expect(e.after).toEqual({ when: new Date(T).toISOString() });
    expect(verifyChain([JSON.parse(JSON.stringify(e))])).toMatchObject({ ok: true });
  });
});
