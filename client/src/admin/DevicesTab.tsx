// 设备登记 (admin): provision a camera, lookout or broadcast point, see what was provisioned,
// changed or retired since the dataset, and retire one. Every screen draws the change at once
// (the registry is in the log); the server's refusals are shown as it words them.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { REGISTRY_KINDS, type RegisteredDevice, type RegistryKind } from '../../../core/registry.ts';
import { listRegistry, provisionDevice, retireDevice } from './api.ts';
import { useAdminCall } from './useAdminCall.ts';

const EMPTY = { kind: 'camera' as RegistryKind, id: '', name: '', lon: '', lat: '', ai: false, streamUrl: '' };

export function DevicesTab() {
  const { t } = useTranslation();
  const [list, setList] = useState<RegisteredDevice[] | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [form, setForm] = useState(EMPTY);

  const load = useCallback(async () => {
    const r = await listRegistry();
    if (r.ok) setList(r.data);
    else setError(r.message);
  }, []);
  const { busy, error, setError, run: call } = useAdminCall(() => void load());
  useEffect(() => {
    void load();
  }, [load]);

  const run = (p: Promise<{ ok: true; data: RegisteredDevice } | { ok: false; message: string }>, text: (d: RegisteredDevice) => string) => call(p, (d) => setInfo(text(d)));

  const provision = async (e: FormEvent) => {
    e.preventDefault();
    const spec = {
      kind: form.kind, id: form.id.trim(), name: form.name.trim(), lon: Number(form.lon), lat: Number(form.lat),
      ...(form.kind === 'camera' ? { ai: form.ai } : {}), ...(form.streamUrl.trim() ? { streamUrl: form.streamUrl.trim() } : {}),
    };
    if (await run(provisionDevice(spec), (d) => t('adm.devices.provisioned', { id: d.id, index: d.index }))) setForm({ ...EMPTY, kind: form.kind });
  };

  const retire = (d: RegisteredDevice) => {
    const reason = window.prompt(t('adm.devices.reasonPrompt', { id: d.id }), t('adm.devices.reasonDefault'));
    if (reason) void run(retireDevice(d.kind, d.id, reason), (x) => t('adm.devices.retiredInfo', { id: x.id }));
  };

  return (
    <div className="adm-body adm-accounts" data-testid="admin-devices">
      <section className="adm-main">
        {error && <div className="adm-error" data-testid="admin-error">{error}</div>}
        {info && (
          <div className="adm-info" data-testid="admin-info">
            <span>{info}</span>
            <button onClick={() => setInfo(null)}>{t('adm.dismiss')}</button>
          </div>
        )}
        <div className="adm-count">{list ? t('adm.devices.count', { n: list.length }) : t('adm.loading')}</div>
        <div className="adm-scroll">
          <table className="adm-table" data-testid="admin-registry">
            <thead>
              <tr>
                <th>{t('adm.devices.cols.kind')}</th><th>{t('adm.devices.cols.id')}</th><th>{t('adm.devices.cols.name')}</th><th>{t('adm.devices.cols.where')}</th><th>{t('adm.devices.cols.state')}</th><th>{t('adm.cols.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(list ?? []).map((d) => (
                <tr key={`${d.kind}:${d.id}`} data-testid="admin-device-row" data-id={d.id} data-retired={d.retired ? '1' : '0'}>
                  <td>{t(`kind.${d.kind}`)}</td>
                  <td className="adm-mono">{d.id}</td>
                  <td>{d.name}{d.ai ? <small> · AI</small> : null}</td>
                  <td className="adm-mono">{d.lon.toFixed(6)}, {d.lat.toFixed(6)}</td>
                  <td><span className={`adm-status ${d.retired ? 'adm-disabled' : 'adm-active'}`}>{t(d.retired ? 'adm.devices.retired' : 'adm.devices.inService')}</span></td>
                  <td className="adm-actions">
                    {!d.retired && <button disabled={busy} onClick={() => retire(d)} data-testid="admin-retire">{t('adm.devices.retire')}</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list && list.length === 0 && <div className="adm-empty">{t('adm.devices.empty')}</div>}
        </div>
      </section>
      <form className="adm-form" onSubmit={(e) => void provision(e)} data-testid="admin-provision-form">
        <h2>{t('adm.devices.provision')}</h2>
        <label>
          {t('adm.devices.cols.kind')}
          <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as RegistryKind })} data-testid="device-kind">
            {REGISTRY_KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
          </select>
        </label>
        <label>
          {t('adm.devices.cols.id')}
          <input value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} required data-testid="device-id" />
          <small>{t('adm.devices.idHint')}</small>
        </label>
        <label>
          {t('adm.devices.cols.name')}
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required data-testid="device-name" />
        </label>
        <label>
          {t('adm.devices.lonLat')}
          <span className="adm-pair">
            <input inputMode="decimal" value={form.lon} onChange={(e) => setForm({ ...form, lon: e.target.value })} required placeholder="117.05" data-testid="device-lon" />
            <input inputMode="decimal" value={form.lat} onChange={(e) => setForm({ ...form, lat: e.target.value })} required placeholder="30.52" data-testid="device-lat" />
          </span>
          <small>{t('adm.devices.wgs84')}</small>
        </label>
        {form.kind === 'camera' && (
          <label className="adm-check">
            <input type="checkbox" checked={form.ai} onChange={(e) => setForm({ ...form, ai: e.target.checked })} data-testid="device-ai" />
            {t('adm.devices.ai')}
          </label>
        )}
        <label>
          {t('adm.devices.stream')}
          <input value={form.streamUrl} onChange={(e) => setForm({ ...form, streamUrl: e.target.value })} placeholder="https://…/live.m3u8" data-testid="device-stream" />
        </label>
        <button type="submit" disabled={busy} data-testid="device-provision">{t('adm.devices.provisionSubmit')}</button>
      </form>
    </div>
  );
}
