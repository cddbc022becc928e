// One admin call at a time: busy while it runs, the server's refusal as it words it, then `done`
// with the answer and a reload of what the tab lists. Shared by the accounts and devices tabs.
import { useState } from 'react';

type Answer<T> = { ok: true; data: T } | { ok: false; message: string };

export function useAdminCall(reload: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** Runs `call`; true when it succeeded. */
  const run = async <T,>(call: Promise<Answer<T>>, done: (data: T) => void): Promise<boolean> => {
    setBusy(true);
    setError(null);
    const r = await call;
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      return false;
    }
    done(r.data);
    reload();
    return true;
  };
  return { busy, error, setError, run };
}
