import { createServer, writeLog } from './app.js';
import { gracefulShutdown, shutdownTimes } from './shutdown.js';

const port = Number.parseInt(process.env.PORT ?? '<%= runtime.port %>', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  writeLog('error', `PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(1);
}
const times = shutdownTimes(process.env);
if (typeof times === 'string') {
  writeLog('error', times);
  process.exit(1);
}

const lifecycle = { draining: false };
const server = createServer({ lifecycle });
server.listen(port, () => {
  writeLog('info', 'listening', { port: server.address().port });
});

// As PID 1 in a container, node gets no default signal handling: without these, SIGTERM is ignored
// and Kubernetes kills the pod after the grace period.
const shutdown = gracefulShutdown(server, lifecycle, { ...times, log: writeLog, exit: (code) => process.exit(code) });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => shutdown(signal));
