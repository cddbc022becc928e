import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('reads env and lets flags win', () => {
    const env = { GATEWAY_KEY: 'envkey', SIM_SPEED: '10', SERVER_URL: 'http://h:1/' };
    const c = parseConfig(['--speed', '60', '--load', '5000'], env);
    expect(c).toMatchObject({ key: 'envkey', speed: 60, load: 5000, serverUrl: 'http://h:1', shift: 'always', logEveryS: 10 });
    expect(parseConfig([], env)).toMatchObject({ speed: 10, shift: 'always', load: 0, duration: 0 });
    expect(parseConfig(['--key', 'k'], {})).toMatchObject({ speed: 1, shift: 'hours', datasetDir: 'data/generated', loop: true, pollS: 5 });
    expect(parseConfig(['--key', 'k', '--no-loop', '--poll', '2'], {})).toMatchObject({ loop: false, pollS: 2 });
    expect(parseConfig(['--key', 'k', '--no-world', '--load', '10'], {})).toMatchObject({ world: false, loop: false });
  });
  it('refuses a missing key and bad values', () => {
    expect(() => parseConfig([], {})).toThrow(/GATEWAY_KEY/);
    expect(() => parseConfig(['--key', 'k', '--speed', '-1'], {})).toThrow(/--speed/);
    expect(() => parseConfig(['--key', 'k', '--no-world'], {})).toThrow(/--load/);
    expect(parseConfig(['--dry-run'], {})).toMatchObject({ dryRun: true, loop: false });
  });
});

describe('parseConfig: media server', () => {
  it('is off by default and takes its flags', () => {
    expect(parseConfig(['--dry-run'], {})).toMatchObject({ mediaPort: 0, maxStreams: 16, mediaIdleS: 30, mediaHost: '127.0.0.1' });
    expect(parseConfig(['--dry-run', '--media-port', '8090', '--max-streams', '4', '--media-idle-s', '5'], {})).toMatchObject({ mediaPort: 8090, maxStreams: 4, mediaIdleS: 5 });
    expect(parseConfig(['--dry-run'], { SIM_MEDIA_PORT: '9000' })).toMatchObject({ mediaPort: 9000 });
    expect(() => parseConfig(['--dry-run', '--max-streams', '0'], {})).toThrow(/--max-streams/);
  });
});
