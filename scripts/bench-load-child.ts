/**
 * The 待办 phases' load client, in a process of its own (scripts/bench-cases.ts forks it): the
 * benchmark process holds the prefill's state (hundreds of MB at 550,000 forms), and its garbage
 * collector's pauses were measured as the server's latency. Receives the run, cycles its
 * requests round-robin over autocannon's connections, answers with every latency.
 */
import { createRequire } from 'node:module';

interface Run {
  url: string;
  connections: number;
  seconds: number;
  requests: { method: 'GET' | 'POST'; path: string; token: string }[];
}
interface AcInstance extends PromiseLike<{ duration: number }> {
  on(event: 'response', fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => AcInstance;

process.once('message', async (run: Run) => {
  const lat: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let i = 0;
  const inst = autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const r = run.requests[i++ % run.requests.length] as Run['requests'][number];
          return { ...req, method: r.method, path: r.path, headers: { authorization: `Bearer ${r.token}` } };
        },
        onResponse: (status: number, body: string) => {
          if (status !== 200) {
            errors++;
            firstError ??= `${status} ${body.slice(0, 300)}`;
          }
        },
      },
    ],
  });
  inst.on('response', (_c, _status, _bytes, ms) => lat.push(ms));
  const r = await inst;
  process.send?.({ lat, errors, firstError, duration: r.duration }, () => process.exit(0));
});
