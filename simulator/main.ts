// The simulator CLI: plays the district's field devices, hotlines and video AI against the
// server's public HTTP ingest, and its staff working every case through the command API.
// `npx tsx simulator/main.ts --help`.
import os from 'node:os';
import { pino } from 'pino';
import { parseConfig, USAGE, type SimConfig } from './config.ts';
import { loadSimDataset } from './dataset.ts';
import { ApiClient } from './api.ts';
import { LoadGenerator, LoadRunner } from './load.ts';
import { LoopDriver } from './loop/driver.ts';
import { Staff } from './staff.ts';
import { Sender, Transport } from './transport.ts';
import { MqttLink, MqttSender } from './mqtt-client.ts';
import type { Sink, TickContext } from './types.ts';
import { World } from './world.ts';
import { MediaServer, type VideoSource } from './media/server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Counts what the models produce (always) and forwards it to the transport (unless dry run). */
class CountingSink implements Sink {
  readonly counts = { device: 0, video: 0, case: 0, weather: 0 };
  readonly byKind: Record<string, number> = {};
  constructor(private readonly t: Transport | null) {}
  device(r: Parameters<Sink['device']>[0]) {
    this.counts.device++;
    this.byKind[r.kind] = (this.byKind[r.kind] ?? 0) + 1;
    this.t?.devices.push(r);
  }
  video(e: Parameters<Sink['video']>[0]) {
    this.counts.video++;
    this.t?.video.push(e);
  }
  case(c: Parameters<Sink['case']>[0]) {
    this.counts.case++;
    this.t?.cases.push(c);
  }
  weather(o: Parameters<Sink['weather']>[0]) {
    this.counts.weather++;
    this.t?.weather.push(o);
  }
}

async function waitForServer(cfg: SimConfig, log: pino.Logger) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${cfg.serverUrl}/api/health`);
      if (res.ok) {
        const h = (await res.json()) as { status: string; seq: number };
        log.info({ url: cfg.serverUrl, health: h }, 'server is up');
        return;
      }
      log.warn({ status: res.status }, 'server health not ok yet');
    } catch (err) {
      if (attempt % 5 === 0) log.warn({ url: cfg.serverUrl, err: (err as Error).message }, 'waiting for the server');
    }
    await sleep(2000);
  }
}

async function main() {
  let cfg: SimConfig | 'help';
  try {
    cfg = parseConfig(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (cfg === 'help') {
    console.log(USAGE);
    return;
  }
  const log = pino({ name: 'simulator', level: cfg.logLevel });
  const t0 = performance.now();
  const ds = await loadSimDataset(cfg.datasetDir);
  log.info({
    dir: cfg.datasetDir, ms: Math.round(performance.now() - t0),
    counts: { camera: ds.devices.camera.length, lookout: ds.devices.lookout.length, drone: ds.devices.drone.length, broadcast: ds.devices.broadcast.length, component: ds.components.count, sensorized: ds.components.sensorized.length, worker: ds.devices.worker.length, grids: ds.grids.length },
  }, 'dataset loaded');
  const { key: _key, ...shown } = cfg;
  log.info({ config: shown, cores: os.cpus().length }, 'starting');

  // Real HLS video of the cameras, lookouts and drones, for the dashboard's video wall.
  let media: MediaServer | null = null;
  if (cfg.mediaPort > 0) {
    const sources: VideoSource[] = [
      ...ds.devices.camera.map((d) => ({ id: d.id, name: d.name, kind: 'camera' as const })),
      ...ds.devices.lookout.map((d) => ({ id: d.id, name: d.name, kind: 'lookout' as const })),
      ...ds.devices.drone.map((d) => ({ id: d.id, name: d.name, kind: 'drone' as const })),
    ];
    media = new MediaServer({ sources, port: cfg.mediaPort, host: cfg.mediaHost, maxStreams: cfg.maxStreams, idleS: cfg.mediaIdleS, log: log.child({ part: 'media' }) });
    await media.start();
    process.on('exit', () => media?.killAll());
  }

  let fatal: Error | null = null;
  if (!cfg.dryRun) await waitForServer(cfg, log);
  // The field link: devices publish over MQTT and take commands from it (drones, broadcast points).
  const field = cfg.dryRun ? null : await MqttLink.connect({ url: cfg.mqttUrl, gateway: cfg.gateway, key: cfg.key, log, onFatal: (e) => (fatal ??= e) });
  const mqttSenders = field && cfg.transport === 'mqtt' ? { devices: new MqttSender(field, 'devices', { log }), video: new MqttSender(field, 'video-events', { log }), weather: new MqttSender(field, 'weather', { log }) } : undefined;
  const transport = cfg.dryRun ? null : new Transport({ baseUrl: cfg.serverUrl, key: cfg.key, log, onFatal: (e) => (fatal ??= e) }, mqttSenders);
  transport?.start();

  const sink = new CountingSink(transport);
  const runTag = Date.now().toString(36);
  const world = cfg.world ? new World(ds, { seed: cfg.seed, runTag, shift: cfg.shift, field }) : null;
  // Broadcast points answer the commands the server sends them over the field link.
  if (world && field) world.attachField(field, cfg.speed);
  const wallStart = Date.now();
  let lastNow = wallStart;
  const ctxAt = (now: number): TickContext => {
    const dtWall = (now - lastNow) / 1000;
    lastNow = now;
    return { now, sim: wallStart + (now - wallStart) * cfg.speed, dtWall, dtSim: dtWall * cfg.speed, speed: cfg.speed };
  };

  if (world) {
    world.start(ctxAt(Date.now()), sink);
    log.info({ records: sink.counts.device }, 'initial status pass queued');
  }

  // Load mode starts once the initial pass is delivered, so it measures steady ingest.
  let loadRunner: LoadRunner | null = null;
  let loadSender: Sender | null = null;
  if (cfg.load > 0) {
    if (transport) await transport.drain(120_000);
    loadSender = new Sender({ baseUrl: cfg.serverUrl, path: '/api/ingest/devices', key: cfg.key, log, concurrency: cfg.concurrency, onFatal: (e) => (fatal ??= e) });
    if (!cfg.dryRun) {
      loadRunner = new LoadRunner(new LoadGenerator(ds, cfg.seed), loadSender, cfg.load, cfg.batch, cfg.concurrency);
      loadRunner.start();
      log.info({ target: cfg.load, batch: cfg.batch, concurrency: cfg.concurrency }, 'load mode started');
    }
  }

  // The simulated staff: poll the open cases, give each its next command when it is due.
  const driver = cfg.loop
    ? new LoopDriver({ api: new ApiClient({ baseUrl: cfg.serverUrl, key: cfg.key, log }), staff: new Staff(ds), seed: cfg.seed, speed: cfg.speed, log, pollMs: cfg.pollS * 1000, leaveToPeople: cfg.leaveToPeople })
    : null;

  const tick = setInterval(() => {
    world?.tick(ctxAt(Date.now()), sink);
    driver?.tick();
  }, cfg.tickMs);

  let prev = { device: 0, video: 0, case: 0, accepted: 0, load: 0, at: Date.now() };
  const progress = () => {
    const now = Date.now();
    const dt = (now - prev.at) / 1000;
    const s = transport?.senders.map((x) => x.stats) ?? [];
    const sum = (f: (x: (typeof s)[number]) => number) => s.reduce((a, x) => a + f(x), 0);
    const accepted = sum((x) => x.accepted);
    const loadAcc = loadSender?.stats.accepted ?? 0;
    log.info({
      perS: { generated: Math.round((sink.counts.device + sink.counts.video + sink.counts.case - prev.device - prev.video - prev.case) / dt), accepted: Math.round((accepted - prev.accepted) / dt), loadAccepted: Math.round((loadAcc - prev.load) / dt) },
      generated: sink.counts, byKind: sink.byKind,
      sent: sum((x) => x.sent), accepted, rejected: sum((x) => x.rejected), retried: sum((x) => x.retried), failed: sum((x) => x.failed), dropped: sum((x) => x.dropped),
      queued: transport?.senders.reduce((a, x) => a + x.queued, 0) ?? 0, lastSeq: Math.max(0, ...s.map((x) => x.lastSeq), loadSender?.stats.lastSeq ?? 0),
      world: world && { camerasDown: world.cameras.downCount(), componentsDamaged: world.components.faultCount(), sensorAlarms: world.components.alarmCount(), cases: world.cases.stats, workersOn: world.workers.walkers.filter((v) => v.on).length, dronesFlying: world.drones.drones.filter((d) => d.phase !== 'base').length },
      load: loadSender && { sent: loadSender.stats.sent, accepted: loadAcc, rejected: loadSender.stats.rejected, retried: loadSender.stats.retried },
    }, 'progress');
    if (driver) log.info({ loop: driver.summary() }, 'loop');
    for (const x of transport?.senders ?? []) x.resetLogBudget();
    loadSender?.resetLogBudget();
    prev = { device: sink.counts.device, video: sink.counts.video, case: sink.counts.case, accepted, load: loadAcc, at: now };
  };
  const progressTimer = setInterval(progress, cfg.logEveryS * 1000);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(tick);
    clearInterval(progressTimer);
    driver?.stop();
    await media?.stop();
    log.info({ reason }, 'stopping: delivering what is queued');
    if (driver) await Promise.race([driver.idle(), sleep(5000)]);
    const loadSeconds = loadRunner?.elapsedS() ?? 0;
    await loadRunner?.stop();
    const drained = transport ? await transport.drain(30_000) : true;
    transport?.stop();
    await field?.close().catch(() => {});
    progress();
    if (loadRunner && loadSender) {
      const st = loadSender.stats;
      const summary = {
        targetPerS: cfg.load, seconds: Math.round(loadSeconds * 10) / 10, sent: st.sent, accepted: st.accepted, rejected: st.rejected, retried: st.retried,
        acceptedPerS: Math.round(st.accepted / loadSeconds), requestMs: loadRunner.requestMs(), batch: cfg.batch, concurrency: cfg.concurrency, simulatorCores: os.cpus().length,
      };
      log.info({ load: summary }, 'load summary');
      console.log(JSON.stringify({ loadSummary: summary }));
    }
    if (!drained) log.warn('some records could not be delivered before exit');
    process.exit(fatal ? 1 : drained ? 0 : 3);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  if (cfg.duration > 0) setTimeout(() => void stop('duration reached'), cfg.duration * 1000);
  const fatalCheck = setInterval(() => {
    if (fatal) {
      log.fatal({ err: (fatal as Error).message }, 'cannot continue');
      clearInterval(fatalCheck);
      process.exit(1);
    }
  }, 200);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
