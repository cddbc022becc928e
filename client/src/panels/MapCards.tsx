// What the map shows of a hovered or clicked feature: the tooltip and the detail card, read from
// the live store again when it changes and counted from the clock (useNow: the replayed moment
// during a replay).
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PickRef } from '../map/layers.ts';
import type { LoadedDataset } from '../state/dataset.ts';
import { useLinkage } from '../context.ts';
import { useLive } from '../live.ts';
import { useNow } from '../clock.ts';
import { DetailCard, Tooltip, describe } from './Detail.tsx';
import { CallButton } from '../duty/CallButton.tsx';

function useDescription(ref: PickRef | null, data: LoadedDataset): ReturnType<typeof describe> {
  const { t, i18n } = useTranslation();
  const { store } = useLinkage();
  const now = useNow(1000);
  // A status, a position or a case can change with any message or a command's answer: read again after each.
  useLive((s) => `${s.seq}:${s.version.cases}`);
  return ref ? describe(ref, data, store, t, i18n.language === 'en', now) : null;
}

export function HoverTooltip({ hover, data }: { hover: { ref: PickRef; x: number; y: number }; data: LoadedDataset }) {
  const info = useDescription(hover.ref, data);
  return <Tooltip info={info} x={hover.x} y={hover.y} />;
}

export function PickedCard({ picked, data, onClose, children }: { picked: PickRef | null; data: LoadedDataset; onClose: () => void; children?: ReactNode }) {
  const { t } = useTranslation();
  const { names } = useLinkage();
  const info = useDescription(picked, data);
  // A grid worker or community leader: their number one click away.
  const person = picked?.kind === 'worker' ? data.devices.worker[picked.index] : undefined;
  return (
    <DetailCard info={info} onClose={onClose}>
      {person?.phone && (
        <div className="detail-call">
          <CallButton target={{ name: person.name, phone: person.phone, about: `${t(person.role === 'leader' ? 'duty.call.leader' : 'duty.call.gridWorker')} · ${names.place(person.communityCode)}` }} />
        </div>
      )}
      {children}
    </DetailCard>
  );
}
