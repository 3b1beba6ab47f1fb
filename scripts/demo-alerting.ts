// The demo's alerting: a local webhook receiver that prints every notification it gets, and one
// notifier plus one rule (a node NotReady in the first cluster) created through the GraphQL API
// as the admin, the way a user would.
import { createServer, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface DemoReceiver {
  readonly url: string;
  close(): Promise<void>;
}

/** Prints one line per alert of each Alertmanager-format webhook it receives. */
export async function startDemoReceiver(print: (line: string) => void): Promise<DemoReceiver> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      res.writeHead(200).end('ok');
      try {
        const payload = JSON.parse(body) as {
          status: string;
          alerts: { status: string; annotations: { summary?: string } }[];
        };
        for (const a of payload.alerts) {
          print(`webhook received: [${a.status.toUpperCase()}] ${a.annotations.summary ?? ''}`);
        }
      } catch {
        print(`webhook received a body that is not JSON (${body.length} bytes)`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function graphql(
  url: string,
  caPem: string | undefined,
  token: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, { id: string }>> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query, variables });
    const req = request(
      `${url}/graphql`,
      {
        method: 'POST',
        ...(caPem ? { ca: caPem } : {}),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          const answer = JSON.parse(text) as {
            data?: Record<string, { id: string }>;
            errors?: unknown;
          };
          if (answer.errors || !answer.data)
            reject(new Error(`GraphQL: ${JSON.stringify(answer.errors)}`));
          else resolve(answer.data);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Creates the demo notifier and rule; returns their ids. */
export async function wireDemoAlert(options: {
  paddockUrl: string;
  caPem: string | undefined;
  token: string;
  clusterId: string;
  receiverUrl: string;
  forSeconds: number;
}): Promise<{ notifierId: string; ruleId: string }> {
  const { paddockUrl, caPem, token, clusterId } = options;
  const notifier = await graphql(
    paddockUrl,
    caPem,
    token,
    `mutation($c: ID!, $i: NotifierInputType!) { createNotifier(clusterId: $c, input: $i) { id } }`,
    {
      c: clusterId,
      i: { name: 'demo webhook', kind: 'WEBHOOK', secrets: { url: options.receiverUrl } },
    },
  );
  const notifierId = notifier.createNotifier?.id ?? '';
  const rule = await graphql(
    paddockUrl,
    caPem,
    token,
    `mutation($c: ID!, $i: AlertRuleInputType!) { createAlertRule(clusterId: $c, input: $i) { id } }`,
    {
      c: clusterId,
      i: {
        name: 'node not ready',
        severity: 'CRITICAL',
        condition: { kind: 'NODE_CONDITION', nodeCondition: 'NOT_READY' },
        forSeconds: options.forSeconds,
        groupWaitSeconds: 0,
        groupIntervalSeconds: 5,
        notifierIds: [notifierId],
      },
    },
  );
  return { notifierId, ruleId: rule.createAlertRule?.id ?? '' };
}
