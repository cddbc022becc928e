// The audible cue, made in the browser: a chime from Web Audio oscillators (nothing is fetched) and,
// where the browser has a Chinese voice, a short spoken phrase. Headless Chromium may have neither
// audio output nor voices: each part is tried on its own and failing is silent.
//
// Chromium lets a page start audio only after a click on it: a wall screen nobody touches needs
// `--autoplay-policy=no-user-gesture-required`; otherwise the first click anywhere unlocks it.
import { TEST_HOOKS, exposeForTests } from '../test-hooks.ts';
import type { Cue, AlertKind } from './decide.ts';

/** Spoken in Chinese whatever the screen's language: the duty room's language. */
export const SPOKEN: Readonly<Record<AlertKind, string>> = {
  case: '紧急案件，请及时处置',
  alarm: '新告警，请及时确认',
  whistle: '吹哨报到超时，请督促报到',
  weather: '气象预警，请注意防范',
};

/** Notes of the chime (Hz), each 0.18 s: rising for a case, a double high tone for an alarm, falling for a late whistle. */
const NOTES: Readonly<Record<AlertKind, readonly number[]>> = {
  case: [660, 880, 1100],
  alarm: [988, 988],
  whistle: [880, 660],
  weather: [740, 988, 740],
};
const NOTE_S = 0.18;

/** What a test build records of each cue (window.__linkageAlerts): a test sees a cue without audio hardware. */
export interface CueRecord {
  at: number;
  kind: AlertKind;
  keys: string[];
  /** The audio context's state when the chime was scheduled ('running', 'suspended'), or 'none'. */
  audio: string;
  spoken: boolean;
}
const played: CueRecord[] = [];
if (TEST_HOOKS) exposeForTests('__linkageAlerts', { cues: played });

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  try {
    ctx = new AudioContext();
  } catch {
    return null;
  }
  // Until the page is clicked Chromium keeps the context suspended: the first click resumes it.
  const unlock = () => void ctx?.resume().catch(() => {});
  window.addEventListener('pointerdown', unlock, { once: true, capture: true });
  return ctx;
}

function chime(kind: AlertKind): string {
  const ac = audio();
  if (!ac) return 'none';
  if (ac.state === 'suspended') void ac.resume().catch(() => {});
  try {
    const t0 = ac.currentTime + 0.02;
    NOTES[kind].forEach((hz, i) => {
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      osc.type = 'sine';
      osc.frequency.value = hz;
      const start = t0 + i * NOTE_S;
      // A soft attack and decay: a bell, not a click.
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.35, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + NOTE_S * 0.95);
      osc.connect(gain).connect(ac.destination);
      osc.start(start);
      osc.stop(start + NOTE_S);
    });
  } catch {
    return 'failed';
  }
  return ac.state;
}

const speechOk = typeof speechSynthesis !== 'undefined' && typeof SpeechSynthesisUtterance !== 'undefined';
// Chromium loads its voices after the first ask: ask now, so they are there by the first cue.
if (speechOk) speechSynthesis.getVoices();

/** Speaks the kind's phrase after the chime, if a Chinese voice exists; says whether one did. */
function speak(kind: AlertKind): boolean {
  if (!speechOk) return false;
  const voice = speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().replace('_', '-').startsWith('zh'));
  if (!voice) return false;
  const u = new SpeechSynthesisUtterance(SPOKEN[kind]);
  u.voice = voice;
  u.lang = voice.lang;
  window.setTimeout(() => {
    // A phrase still speaking from the last cue would only be in the way of this one.
    speechSynthesis.cancel();
    speechSynthesis.speak(u);
  }, NOTES[kind].length * NOTE_S * 1000);
  return true;
}

/** Plays one cue: the chime, then the phrase where a Chinese voice exists. */
export function playCue(cue: Cue): void {
  const state = chime(cue.kind);
  const spoken = speak(cue.kind);
  if (TEST_HOOKS) played.push({ at: Date.now(), kind: cue.kind, keys: cue.keys, audio: state, spoken });
}
