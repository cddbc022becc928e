// The "send a drone" flow shared by the drone panel, the case detail and the map: which target
// (a map point or a case), whether the map is waiting for a click, and the form being open.
import { createContext, useContext, useMemo, useState } from 'react';
import type { Actor } from '../../../core/org.ts';
import { commanderProblem } from '../../../core/drones.ts';

export interface DroneTarget {
  lon: number;
  lat: number;
  caseId?: string;
}

export interface DroneDispatch {
  open: boolean;
  target: DroneTarget | null;
  picking: boolean;
  droneId: string | null;
  /** Opens the form; without a target the map waits for a click. */
  start(opts?: { target?: DroneTarget; droneId?: string }): void;
  setPicking(on: boolean): void;
  close(): void;
  /** For MapView's onMapClick while picking, else null. */
  onMapClick: ((lonlat: [number, number]) => void) | null;
}

export const DroneDispatchContext = createContext<DroneDispatch | null>(null);

export function useDroneDispatch(): DroneDispatch | null {
  return useContext(DroneDispatchContext);
}

/** May this actor command drones (the same rule the server applies)? */
export const canCommandDrones = (actor: Actor | null) => actor !== null && commanderProblem(actor) === null;

export function useDroneDispatchState(): DroneDispatch {
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState<DroneTarget | null>(null);
  const [picking, setPicking] = useState(false);
  const [droneId, setDroneId] = useState<string | null>(null);
  return useMemo<DroneDispatch>(
    () => ({
      open,
      target,
      picking,
      droneId,
      start(opts = {}) {
        setOpen(true);
        setTarget(opts.target ?? null);
        setDroneId(opts.droneId ?? null);
        setPicking(!opts.target);
      },
      setPicking,
      close() {
        setOpen(false);
        setPicking(false);
        setTarget(null);
      },
      onMapClick: picking
        ? (ll) => {
            setTarget({ lon: ll[0], lat: ll[1] });
            setPicking(false);
          }
        : null,
    }),
    [open, target, picking, droneId],
  );
}
