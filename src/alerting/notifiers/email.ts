/**
 * Email over SMTP with nodemailer: implicit TLS (`tls`, usually port 465), STARTTLS required
 * (`starttls`, usually 587) or plain (`none`, for a relay on localhost), optional AUTH. The
 * password is the secret. One message per group; the subject is the group's title.
 */
import { createTransport } from 'nodemailer';
import { DeliveryError, linesOf, type NotifierSender, titleOf } from './notification.js';
import { outboundPolicy } from './outbound-http.js';

export const emailSender: NotifierSender = {
  kind: 'email',
  settings: {
    host: { type: 'string', required: true },
    port: { type: 'number', min: 1, max: 65535 },
    tls: { type: 'enum', values: ['starttls', 'tls', 'none'] },
    username: { type: 'string' },
    from: { type: 'string', required: true, pattern: /^[^\s@]+@[^\s@]+$/ },
    to: { type: 'strings', required: true },
    caPem: { type: 'string' },
  },
  secrets: { password: { required: false } },
  async send(n, { settings, secrets }) {
    // Checked before the dial; nodemailer resolves the name itself when it connects.
    await outboundPolicy().check(String(settings.host));
    const mode = typeof settings.tls === 'string' ? settings.tls : 'starttls';
    const port =
      typeof settings.port === 'number'
        ? settings.port
        : mode === 'tls'
          ? 465
          : mode === 'none'
            ? 25
            : 587;
    const transport = createTransport({
      host: String(settings.host),
      port,
      secure: mode === 'tls',
      requireTLS: mode === 'starttls',
      ignoreTLS: mode === 'none',
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      ...(typeof settings.username === 'string' && settings.username
        ? { auth: { user: settings.username, pass: secrets.password ?? '' } }
        : {}),
      ...(typeof settings.caPem === 'string' && settings.caPem
        ? { tls: { ca: settings.caPem } }
        : {}),
    });
    try {
      const info = await transport.sendMail({
        from: String(settings.from),
        to: (settings.to as string[]).join(', '),
        subject: titleOf(n),
        text: [
          titleOf(n),
          '',
          ...linesOf(n),
          '',
          ...n.alerts.map(
            (a) =>
              `${a.fingerprint}: ${Object.entries(a.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')}`,
          ),
        ].join('\n'),
        headers: { 'X-Paddock-Group': n.groupKey },
      });
      return `SMTP accepted: ${String(info.response).slice(0, 100)}`;
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // 5xx: permanent (bad recipient, auth refused); 4xx and network errors may pass later.
      const permanent = typeof code === 'number' && code >= 500;
      throw new DeliveryError(
        `SMTP: ${err instanceof Error ? err.message : String(err)}`,
        !permanent && (err as { code?: string }).code !== 'EAUTH',
      );
    } finally {
      transport.close();
    }
  },
};
