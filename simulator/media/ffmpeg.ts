// How one simulated camera's picture is made: ffmpeg from the @ffmpeg-installer npm package (no
// system install), a lavfi test pattern with the device's name and the local time burnt in,
// encoded as H.264 baseline into a short live HLS playlist of ~1 s fMP4 segments.
// fMP4 rather than MPEG-TS: the packaged ffprobe crashes on MPEG-TS input here, and hls.js and
// Chromium's MSE play fMP4 natively, so the same files can be checked and played.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const ffmpegPath: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
export const ffprobePath: string = (require('@ffprobe-installer/ffprobe') as { path: string }).path;

/** The time shown on the picture is the district's, whatever the host's zone. */
export const VIDEO_TZ = 'Asia/Shanghai';

const CJK_FONTS = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
];

export interface TextSupport {
  /** drawtext (libfreetype) is compiled into this ffmpeg. */
  drawtext: boolean;
  /** A font file with Chinese glyphs, or null: then names are drawn as the ASCII device id. */
  cjkFont: string | null;
  /** Any font file for the ASCII fallback, or null to let fontconfig pick its default. */
  latinFont: string | null;
}

function fcMatch(pattern: string): string | null {
  try {
    const file = execFileSync('fc-match', ['-f', '%{file}', pattern], { encoding: 'utf8', timeout: 3000 }).trim();
    return file && existsSync(file) ? file : null;
  } catch {
    return null; // no fontconfig tools on this host
  }
}

/** Looks once at what this host and this ffmpeg can draw. */
export function probeTextSupport(ffmpeg = ffmpegPath): TextSupport {
  let drawtext = false;
  try {
    drawtext = /\bdrawtext\b/.test(execFileSync(ffmpeg, ['-hide_banner', '-filters'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    drawtext = false;
  }
  const fcCjk = fcMatch(':lang=zh-cn');
  const cjkFont = CJK_FONTS.find((f) => existsSync(f)) ?? (fcCjk && /cjk|wqy|hei|song|ming|droid/i.test(fcCjk) ? fcCjk : null);
  const latinFont = cjkFont ?? (existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf') ? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' : fcMatch('sans'));
  return { drawtext, cjkFont, latinFont };
}

/** The label burnt into the picture: the name when a CJK font can draw it, else the ASCII id. */
export function pictureLabel(name: string, id: string, text: TextSupport): string {
  // eslint-disable-next-line no-control-regex
  return text.cjkFont || /^[\x20-\x7e]*$/.test(name) ? name : id;
}

/** drawtext's time expansion; its argument separator ':' is escaped inside the format. */
export const TIME_TEXT = '%{localtime:%Y-%m-%d %H\\:%M\\:%S}';

/** Escapes a value for a filtergraph option (paths with ':' or quotes). */
const filterValue = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "'\\''").replace(/:/g, '\\:')}'`;

export interface EncodeSpec {
  width: number;
  height: number;
  fps: number;
  /** File holding the label (read with expansion=none, so any characters are safe). */
  labelFile: string;
  /** File holding TIME_TEXT. */
  timeFile: string;
  /** Output directory: index.m3u8, init.mp4, seg%05d.m4s. */
  outDir: string;
  text: TextSupport;
}

export function ffmpegArgs(s: EncodeSpec): string[] {
  const size = Math.round(s.height / 12);
  const font = s.text.cjkFont ?? s.text.latinFont;
  const fontOpt = font ? `fontfile=${filterValue(font)}:` : '';
  const box = 'fontcolor=white:box=1:boxcolor=black@0.6';
  const filters = s.text.drawtext
    ? ['-vf', [
        // Along the bottom: the player's own title bar covers the top of the picture.
        `drawtext=${fontOpt}textfile=${filterValue(s.labelFile)}:expansion=none:x=${size}:y=h-th-${size}:fontsize=${size}:${box}:boxborderw=${Math.round(size / 3)}`,
        `drawtext=${fontOpt}textfile=${filterValue(s.timeFile)}:x=w-tw-${size}:y=h-th-${size}:fontsize=${Math.round(size * 0.85)}:${box}:boxborderw=${Math.round(size / 4)}`,
      ].join(',')]
    : [];
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${s.width}x${s.height}:rate=${s.fps}`,
    ...filters,
    '-c:v', 'libx264', '-profile:v', 'baseline', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    // A key frame every second, so every ~1 s segment starts with one and a player can join anywhere.
    '-g', String(s.fps), '-keyint_min', String(s.fps), '-sc_threshold', '0', '-threads', '1',
    '-f', 'hls', '-hls_time', '1', '-hls_list_size', '6',
    // Segments stay on disk a while after leaving the playlist, so a slow player can still fetch them.
    '-hls_delete_threshold', '10', '-hls_flags', 'delete_segments+omit_endlist+independent_segments',
    '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4',
    '-hls_segment_filename', `${s.outDir}/seg%05d.m4s`,
    `${s.outDir}/index.m3u8`,
  ];
}
