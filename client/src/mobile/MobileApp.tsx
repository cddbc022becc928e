// The grid worker's phone page (/m.html): keep a worker identity, see "mine" and the community's
// open cases, report a case at the phone's position or a tapped grid, close on the spot (巡办合一),
// recheck with a note. Big touch targets, one column, works at 390×844.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { OPEN_STAGES } from '../../../core/cases/model.ts';
import { loadGazetteer, type Gazetteer } from '../state/dataset.ts';
import { createStore } from '../state/store.ts';
import { directoryFrom, type Identity } from '../state/identity.ts';
import { makeNames } from '../state/names.ts';
import { allowedCommands } from '../state/actions.ts';
import { LinkageContext, actingActor, type Linkage } from '../context.ts';
import { useIdentity } from '../hooks.ts';
import { createHub } from '../live.ts';
import { useRealtime } from '../liveConnection.ts';
import { setLang } from '../i18n/index.ts';
import { CaseList } from './MobileCases.tsx';
import { MobileReport } from './MobileReport.tsx';

const STORAGE_KEY = 'linkage.identity.mobile';

export function MobileApp() {
  const { t } = useTranslation();
  const [g, setG] = useState<Gazetteer | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    loadGazetteer(ac.signal).then(setG, (e: Error) => !ac.signal.aborted && setError(e.message));
    return () => ac.abort();
  }, []);
  if (error) return <div className="m-splash bad">{t('loadError', { msg: error })}</div>;
  if (!g) return <div className="m-splash">{t('loading')}</div>;
  return <WorkerGate g={g} />;
}

function WorkerGate({ g }: { g: Gazetteer }) {
  const dir = useMemo(() => directoryFrom(g.manifest, g.workers), [g]);
  const [identity, setKey] = useIdentity(dir, STORAGE_KEY);
  if (identity.actor?.role !== 'grid-worker') return <WorkerPicker g={g} onPick={setKey} />;
  // Keyed by worker: another worker gets a fresh store and connection (its own community's data).
  return <Field key={identity.key} g={g} identity={identity} onSwitch={() => setKey('display')} />;
}

function WorkerPicker({ g, onPick }: { g: Gazetteer; onPick: (key: string) => void }) {
  const { t } = useTranslation();
  const [key, setKey] = useState(`worker:${g.workers[0]?.id ?? ''}`);
  const byCommunity = useMemo(() => g.manifest.communities.map((c) => ({ c, workers: g.workers.filter((w) => w.communityCode === c.code) })), [g]);
  return (
    <div className="m-app m-picker" data-testid="m-picker">
      <h1>{t('mobile.title')}</h1>
      <label className="m-field">
        <span>{t('mobile.pickWorker')}</span>
        <select value={key} onChange={(e) => setKey(e.target.value)} data-testid="m-worker-select">
          {byCommunity.map(({ c, workers }) => (
            <optgroup key={c.code} label={c.name}>
              {workers.map((w) => (
                <option key={w.id} value={`worker:${w.id}`}>
                  {w.name} · {w.id}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <button className="m-primary" onClick={() => onPick(key)} data-testid="m-worker-ok">
        OK
      </button>
    </div>
  );
}

type Tab = 'mine' | 'community' | 'report';

function Field({ g, identity, onSwitch }: { g: Gazetteer; identity: Identity; onSwitch: () => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const store = useMemo(() => createStore(g.sizes, undefined, identity.scope), [g, identity.scope]);
  const hub = useMemo(() => createHub(300), []);
  // Keyed by worker (WorkerGate): one identity per Field, so the connection lives as long as the store.
  const [first] = useState(identity);
  // A phone follows cases only: no status bytes or positions of the district's 100,000 devices.
  const rt = useRealtime(store, hub, first, 'cases');
  // What this page shows of the store and the connection, re-read when they notify (at most every 300 ms).
  const casesVersion = useSyncExternalStore(hub.subscribe, () => store.version.cases);
  const session = useSyncExternalStore(hub.subscribe, () => store.session);
  const ready = useSyncExternalStore(hub.subscribe, () => store.seq >= 0);
  const state = useSyncExternalStore(hub.subscribe, () => rt?.state() ?? 'connecting');
  const error = useSyncExternalStore(hub.subscribe, () => rt?.error() ?? null);
  const [tab, setTab] = useState<Tab>('mine');
  const [openId, setOpenId] = useState<string | null>(null);
  const names = useMemo(() => makeNames(g.manifest, g.grids, en), [g, en]);
  const actor = useMemo(() => actingActor({ session }, identity), [session, identity]);
  const ctx: Linkage = useMemo(() => ({ store, rt, identity, actor, names, openCase: setOpenId, subscribe: hub.subscribe }), [store, rt, identity, actor, names, hub]);
  const worker = g.workers.find((w) => w.id === identity.actor?.id);
  const lists = useMemo(() => {
    const all = [...store.cases.values()].sort((a, b) => b.reportedAt - a.reportedAt);
    return {
      mine: all.filter((c) => c.reporter === actor?.id || allowedCommands(actor, c).length > 0),
      community: all.filter((c) => OPEN_STAGES.has(c.stage)),
    };
    // casesVersion: the cases in the store changed.
  }, [casesVersion, actor, store]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <LinkageContext.Provider value={ctx}>
      <div className="m-app" data-testid="m-app" data-ready={ready ? '1' : undefined}>
        <header className="m-head">
          <div>
            <div className="m-title">{t('mobile.title')}</div>
            <button className="m-who" onClick={onSwitch} data-testid="m-who">
              {identity.actor?.name} · {names.place(identity.scope)}
              {worker && worker.gridIndex >= 0 ? ` · ${names.grid(worker.gridIndex)}` : ''}
            </button>
          </div>
          <div className="m-head-right">
            <span className={`m-conn conn-${state}`} data-testid="conn-status" data-state={state}>
              {t(`conn.${state}`)}
            </span>
            <button className="m-lang" onClick={() => setLang(en ? 'zh-CN' : 'en')}>
              {en ? '中文' : 'EN'}
            </button>
          </div>
        </header>
        {error && <div className="m-error">{error}</div>}
        <nav className="m-tabs">
          {(['mine', 'community', 'report'] as Tab[]).map((k) => (
            <button key={k} className={tab === k ? 'on' : ''} onClick={() => setTab(k)} data-testid={`m-tab-${k}`}>
              {t(`mobile.${k}`)}
              {k !== 'report' && <b>{lists[k].length}</b>}
            </button>
          ))}
        </nav>
        <main className="m-main">
          {tab === 'report' ? (
            <MobileReport
              g={g}
              home={worker?.gridIndex ?? -1}
              onDone={(c) => {
                setTab('mine');
                setOpenId(c.id);
              }}
            />
          ) : (
            <CaseList cases={lists[tab]} openId={openId} onOpen={setOpenId} />
          )}
        </main>
      </div>
    </LinkageContext.Provider>
  );
}
