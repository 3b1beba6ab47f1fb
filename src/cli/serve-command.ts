import { redactConfig } from '../config/index.js';
import { hasErrorCode, isPaddockError } from '../errors/index.js';
import { createPaddockServer, createServerLoggers } from '../server/index.js';
import { type CliIo, exitCodes } from './cli-io.js';
import { type App, composeApp } from './compose-app.js';
import { describeError } from './describe-error.js';
import { readConfig } from './read-config.js';

/** `paddock serve`: compose the app, listen, and drain on SIGTERM/SIGINT. */
export async function serveCommand(io: CliIo, argv: readonly string[]): Promise<number> {
  const loaded = readConfig('serve', io, argv);
  if (typeof loaded === 'number') return loaded;
  const { config } = loaded;
  const { logger, accessLog } = createServerLoggers({ level: config.logLevel });
  logger.info({ config: redactConfig(config) }, 'starting paddock');

  let app: App;
  try {
    app = await composeApp(config, logger);
  } catch (err) {
    // What the operator must fix is one line; only a fault of Paddock's own gets a stack trace.
    if (isPaddockError(err) && err.code !== 'INTERNAL') {
      logger.fatal({ code: err.code, reason: err.message }, 'cannot start');
    } else {
      logger.fatal({ err }, 'cannot start');
    }
    io.stderr(`paddock: cannot start: ${describeError(err)}\n`);
    // A bad `auth:` section is found only here; it is still a configuration error.
    return hasErrorCode(err, 'CONFIG_INVALID') ? exitCodes.usage : exitCodes.failure;
  }

  const { tls } = app;
  const server = createPaddockServer({
    routes: app.routes,
    logger,
    accessLog,
    metrics: app.metrics,
    tls,
    tlsHandshakeTimeoutMs: config.tlsHandshakeTimeoutSeconds * 1000,
  });
  try {
    await server.listen(config.port, config.bind);
  } catch (err) {
    await app.close();
    const why = err instanceof Error ? err.message : String(err);
    io.stderr(`paddock: cannot listen on ${config.bind}:${config.port}: ${why}\n`);
    return exitCodes.failure;
  }

  const scheme = tls === undefined ? 'http' : 'https';
  const shownHost = config.bind === '0.0.0.0' || config.bind === '::' ? 'localhost' : config.bind;
  const where = app.store.kind === 'embedded' ? ` in ${config.dataDir}` : '';
  io.stdout(
    `Paddock is serving on ${scheme}://${shownHost}:${config.port} (store: ${app.store.kind}${where})\n`,
  );
  if (app.bootstrapPassword !== undefined) {
    // Printed once, to the console only: never through the logger.
    io.stdout(
      `Bootstrap admin created: username '${app.bootstrapPassword.username}', password '${app.bootstrapPassword.password}'\n` +
        'It will not be shown again; you must change it at first login.\n',
    );
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      const graceMs = config.shutdownGraceSeconds * 1000;
      // Ctrl-C is someone at a terminal, not a load balancer that needs time to notice.
      const drainMs = signal === 'SIGTERM' ? config.shutdownDrainSeconds * 1000 : 0;
      app.lifecycle.beginShutdown();
      logger.info(
        { signal, graceSeconds: config.shutdownGraceSeconds, drainSeconds: drainMs / 1000 },
        'shutting down: not ready any more, draining',
      );
      // Whatever the clusters or the store do, the process ends within the grace period plus
      // a second: the orchestrator's SIGKILL must never be what stops Paddock.
      const hardStop = setTimeout(() => {
        logger.error('could not stop cleanly within the grace period; exiting anyway');
        // Helm runs are child processes: they would go on after Paddock without this.
        app.killChildren();
        resolve(exitCodes.failure);
      }, graceMs + 750);
      server
        .shutdown(graceMs, { drainMs, endStreams: () => app.endStreams() })
        .then(() => app.close())
        .then(
          () => {
            clearTimeout(hardStop);
            logger.info('stopped');
            resolve(exitCodes.ok);
          },
          (err: unknown) => {
            clearTimeout(hardStop);
            logger.error({ err }, 'unclean stop');
            resolve(exitCodes.failure);
          },
        );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
