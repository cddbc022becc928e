// One tile of the video wall: asks the server where the device's stream is, plays it with hls.js
// (muted, live), shows the device's name, a LIVE badge while frames come, and a readable error
// when the stream cannot be had. The player is destroyed when the tile goes away.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Hls from 'hls.js';
import type { Tile } from './wallState.ts';
import { liveResumePoint, rangesOf } from './liveResume.ts';

type TileState = 'resolving' | 'loading' | 'playing' | 'stalled' | 'error';

interface StreamInfo {
  kind: string;
  id: string;
  name: string;
  url: string;
}

/** Readable error key (video.err.*) and detail from a failed HTTP answer (ours or the media server's JSON). */
async function problemOf(res: Response): Promise<{ key: string; detail: string }> {
  let code = '';
  let message = '';
  try {
    const body = (await res.json()) as { code?: string; error?: string; message?: string };
    code = body.code ?? body.error ?? '';
    message = body.message ?? '';
  } catch {
    // not JSON
  }
  if (code === 'NO_STREAM') return { key: 'noStream', detail: message };
  if (code === 'TOO_MANY_STREAMS') return { key: 'busy', detail: message };
  if (res.status === 404) return { key: 'notFound', detail: message || `HTTP 404` };
  return { key: 'failed', detail: message || `HTTP ${res.status}` };
}

const RETRY_MS = 1500;
const MAX_RETRIES = 12;
/** How often a stalled tile looks whether it can play on (client/src/video/liveResume.ts). */
const STALL_CHECK_MS = 2000;

/** `controls` false on a kiosk screen: the picture and its name, no buttons. */
export function VideoTile({ tile, slot, controls = true, onPin, onClose }: { tile: Tile; slot: number; controls?: boolean; onPin: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<TileState>('resolving');
  const [info, setInfo] = useState<StreamInfo | null>(null);
  const [error, setError] = useState<{ key: string; detail: string } | null>(null);
  const { kind, id } = tile.ref;
  // The last player events, on the element for diagnosis (and browser tests).
  const trace = useRef<string[]>([]);
  const note = (s: string) => {
    trace.current = [...trace.current.slice(-5), s];
    video.current?.parentElement?.setAttribute('data-trace', trace.current.join(' | '));
  };

  useEffect(() => {
    let hls: Hls | null = null;
    let disposed = false;
    let retries = 0;
    let timer = 0;
    const el = video.current!;
    setState('resolving');
    setError(null);
    const fail = (e: { key: string; detail: string }) => {
      if (disposed) return;
      setError(e);
      setState('error');
    };
    const attach = async (url: string) => {
      if (disposed) return;
      // Ask once ourselves: starts the stream, and gives the media server's own reason on refusal.
      let res: Response;
      try {
        res = await fetch(url, { cache: 'no-store' });
      } catch (e) {
        return fail({ key: 'unreachable', detail: (e as Error).message });
      }
      if (disposed) return;
      if (!res.ok) {
        if (res.status === 503 && retries++ < MAX_RETRIES) {
          const busy = await problemOf(res.clone());
          // Every stream slot is watched: say so, and ask again when the media server suggests (a
          // tour's previous page gives its slots up once its players stop asking).
          if (busy.key === 'busy') fail(busy);
          const after = Number(res.headers.get('retry-after'));
          timer = window.setTimeout(() => void attach(url), after > 0 ? after * 1000 : RETRY_MS);
          return;
        }
        return fail(await problemOf(res));
      }
      if (!Hls.isSupported()) return fail({ key: 'unsupported', detail: 'MediaSource' });
      setState('loading');
      hls = new Hls({ liveSyncDurationCount: 3, liveMaxLatencyDurationCount: 8, maxBufferLength: 8, backBufferLength: 4, manifestLoadingMaxRetry: 6, levelLoadingMaxRetry: 6, fragLoadingMaxRetry: 6 });
      // A live stream on a busy screen falls behind and loses segments: reload from the live
      // edge a few times before calling the stream failed; a decode error gets one recovery.
      let mediaRecoveries = 0;
      let reloads = 0;
      hls.on(Hls.Events.ERROR, (_e, data) => {
        note(`${data.fatal ? 'FATAL ' : ''}${data.details}`);
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries++ < 2) return hls?.recoverMediaError();
        const code = (data.response as { code?: number } | undefined)?.code;
        if (data.type === Hls.ErrorTypes.NETWORK_ERROR && code !== 404 && reloads++ < 5) return hls?.startLoad(-1);
        if (data.details === Hls.ErrorDetails.FRAG_LOAD_ERROR && reloads++ < 5) return hls?.startLoad(-1);
        fail({ key: code === 503 ? 'busy' : 'failed', detail: `${data.details}${code ? ` (HTTP ${code})` : ''}` });
        hls?.destroy();
        hls = null;
      });
      hls.on(Hls.Events.MANIFEST_PARSED, () => {
        note('manifest');
        el.play().catch((e: Error) => note(`play: ${e.message}`));
      });
      hls.on(Hls.Events.FRAG_BUFFERED, () => {
        reloads = 0;
        note('frag');
      });
      hls.loadSource(url);
      hls.attachMedia(el);
    };
    fetch(`/api/video/${kind}/${encodeURIComponent(id)}`)
      .then(async (res) => {
        if (disposed) return;
        if (!res.ok) return fail(await problemOf(res));
        const body = (await res.json()) as StreamInfo;
        setInfo(body);
        void attach(body.url);
      })
      .catch((e: Error) => fail({ key: 'unreachable', detail: e.message }));
    return () => {
      disposed = true;
      window.clearTimeout(timer);
      hls?.destroy();
      el.removeAttribute('src');
      el.load();
    };
  }, [kind, id]);

  // LIVE while frames advance; "stalled" when they stop (the stream ended or the network broke).
  useEffect(() => {
    const el = video.current!;
    const playing = () => setState((s) => (s === 'error' ? s : 'playing'));
    const waiting = () => setState((s) => (s === 'playing' ? 'stalled' : s));
    el.addEventListener('playing', playing);
    el.addEventListener('waiting', waiting);
    return () => {
      el.removeEventListener('playing', playing);
      el.removeEventListener('waiting', waiting);
    };
  }, []);

  // Stalled with picture buffered ahead (or paused by the browser): play on from there.
  useEffect(() => {
    if (state !== 'stalled') return;
    const el = video.current!;
    const check = window.setInterval(() => {
      if (el.paused) {
        note('resume: play');
        el.play().catch((e: Error) => note(`play: ${e.message}`));
        return;
      }
      const to = liveResumePoint(rangesOf(el.buffered), el.currentTime);
      if (to === null) return;
      note(`resume ${el.currentTime.toFixed(1)}→${to.toFixed(1)}`);
      el.currentTime = to;
    }, STALL_CHECK_MS);
    return () => window.clearInterval(check);
  }, [state]);

  const name = info?.name ?? id;
  return (
    <div className={`vtile vtile-${state} ${tile.pinned ? 'is-pinned' : ''} vtile-kind-${kind}`} data-testid="video-tile" data-slot={slot} data-kind={kind} data-id={id} data-state={state} data-reason={tile.reason}>
      <video ref={video} muted autoPlay playsInline disablePictureInPicture data-testid="video-el" />
      <div className="vtile-head">
        {state === 'playing' && <span className="vtile-live" data-testid="video-live">{t('video.live')}</span>}
        {state === 'stalled' && <span className="vtile-buffering" title={t('video.stalled')}>{t('video.buffering')}</span>}
        <span className="vtile-kind">{t(`kind.${kind}`)}</span>
        <span className="vtile-name" title={`${name} · ${id}`}>{name}</span>
        {controls && (
          <>
            <button type="button" className={`vtile-btn ${tile.pinned ? 'on' : ''}`} onClick={onPin} title={tile.pinned ? t('video.unpin') : t('video.pin')} data-testid="video-pin" aria-pressed={tile.pinned}>
              {tile.pinned ? '◆' : '◇'}
            </button>
            <button type="button" className="vtile-btn" onClick={onClose} title={t('video.close')} data-testid="video-close">
              ✕
            </button>
          </>
        )}
      </div>
      {state !== 'playing' && state !== 'stalled' && (
        <div className="vtile-msg" data-testid="video-msg">
          {state === 'error' && error ? (
            <>
              <b>{t(`video.err.${error.key}`)}</b>
              {error.detail && <span className="vtile-detail">{error.detail}</span>}
            </>
          ) : (
            t('video.connecting')
          )}
        </div>
      )}
    </div>
  );
}
