import { redactConfig } from '../config/index.js';
import { hasErrorCode } from '../errors/index.js';
import { createPaddockServer, createServerLoggers } from '../server/index.js';
import { type CliIo, exitCodes } from './cli-io.js';
import { type App, composeApp } from './compose-app.js';
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
    logger.fatal({ err }, 'cannot start');
    io.stderr(`paddock: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
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
      logger.info({ signal }, 'draining');
      server
        .shutdown(config.shutdownGraceSeconds * 1000)
        .then(() => app.close())
        .then(
          () => {
            logger.info('stopped');
            resolve(exitCodes.ok);
          },
          (err: unknown) => {
            logger.error({ err }, 'unclean stop');
            resolve(exitCodes.failure);
          },
        );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
