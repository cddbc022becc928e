// What a shift's line in the list of handovers says about its signatures.
import type { HandoverListItem } from '../../../core/duty.ts';

export type HandoverState = 'signedBoth' | 'signedOut' | 'unsigned' | 'beforeGoLive';

/** A shift that ended before the server's log began had nobody to sign it: it reads as such, not as 未签字. */
export function handoverState(h: Pick<HandoverListItem, 'signatures' | 'beforeGoLive'>): HandoverState {
  if (h.signatures.length >= 2) return 'signedBoth';
  if (h.signatures.length === 1) return 'signedOut';
  return h.beforeGoLive ? 'beforeGoLive' : 'unsigned';
}
