// The dry run → confirm flow every import tab shares (device ledger, boundaries, resources): the
// dry run's report and the upload it was of, the apply with that report's token, and a new dry run
// needed whenever the file or an option changes.
import { useState } from 'react';
import { useAdminCall } from './useAdminCall.ts';

type Answer<T> = { ok: true; data: T } | { ok: false; message: string };

export function useDryRunImport<U, R extends { token: string }>(dryRun: (u: U) => Promise<Answer<R>>, apply: (u: U, token: string) => Promise<Answer<R>>) {
  const [upload, setUpload] = useState<U | null>(null);
  const [report, setReport] = useState<R | null>(null);
  const [applied, setApplied] = useState<R | null>(null);
  const { busy, error, run } = useAdminCall(() => {});
  return {
    busy, error, report, applied,
    /** Dry-runs the upload `u` (nothing is applied). */
    dryRun: async (u: U) => {
      setApplied(null);
      await run(dryRun(u), (r) => {
        setUpload(u);
        setReport(r);
      });
    },
    /** Applies what the last dry run was of, with its token. */
    confirm: () => {
      if (upload && report) void run(apply(upload, report.token), (r) => {
        setApplied(r);
        setReport(null);
      });
    },
    /** A new file or option: the last dry run no longer holds. */
    changed: () => {
      setReport(null);
      setApplied(null);
    },
  };
}
