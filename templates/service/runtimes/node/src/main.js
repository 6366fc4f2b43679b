import { createServer, writeLog } from './app.js';

/** How long in-flight requests get to finish after SIGTERM (well inside Kubernetes' 30 s grace period). */
const SHUTDOWN_GRACE_MS = 10_000;

const port = Number.parseInt(process.env.PORT ?? '<%= runtime.port %>', 10);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  writeLog('error', `PORT must be a port number, not "${process.env.PORT}"`);
  process.exit(1);
}

const server = createServer();
server.listen(port, () => {
  writeLog('info', 'listening', { port: server.address().port });
});

// As PID 1 in a container, node gets no default signal handling: without these, SIGTERM is ignored
// and Kubernetes kills the pod after the grace period.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    writeLog('info', 'shutting down', { signal });
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  });
}
