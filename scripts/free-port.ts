// A free TCP port on 127.0.0.1 for a server that may be restarted on it (a crash test, a cluster
// node): taken below the kernel's ephemeral range, where the OS never puts the local end of an
// outgoing connection. A port the OS hands out with listen(0) is inside that range, so while its
// server was down a client socket of a test running beside it could take it, and the restart
// failed with EADDRINUSE (seen in a fresh-clone run of server/crash.test.ts).
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The first port of the ephemeral range (Linux: ip_local_port_range; IANA's 49152 elsewhere). */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(low) && low > 2048 ? low : 49152;
  } catch {
    return 49152;
  }
}

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });

/** A port nothing listens on now, from [10000, the ephemeral range's start). */
export async function freePort(): Promise<number> {
  const low = 10_000;
  const high = ephemeralStart();
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port in ${low}–${high - 1} after 200 tries`);
}
