/**
 * Sample Helm charts for tests, the demo and the benchmarks, made the way a chart author makes
 * them: `helm create`, a few templates added, `helm package`, and `helm repo index` for an HTTP
 * repository. `hello` is a web app (Deployment, Service, a pre-install hook Job, a values schema,
 * `global.systemDefaultRegistry`); `ledger` is a database (StatefulSet, headless Service, a
 * migration Job).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type SampleChartName = 'hello' | 'ledger';

export interface SampleChartOptions {
  readonly name: SampleChartName;
  readonly version: string;
  readonly appVersion?: string;
  /** Extra lines appended to values.yaml. */
  readonly extraValues?: string;
}

function helmRun(
  helm: string,
  home: string,
  args: readonly string[],
  cwd: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      helm,
      args,
      {
        cwd,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          HELM_CACHE_HOME: join(home, 'cache'),
          HELM_CONFIG_HOME: join(home, 'config'),
          HELM_DATA_HOME: join(home, 'data'),
        },
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`helm ${args.join(' ')}: ${stderr || err.message}`));
        else resolve(stdout);
      },
    );
  });
}

const HELLO_SCHEMA = {
  $schema: 'https://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {
    replicaCount: { type: 'integer', minimum: 0, maximum: 20 },
    greeting: { type: 'string', maxLength: 64 },
    image: {
      type: 'object',
      properties: { repository: { type: 'string' }, tag: { type: 'string' } },
    },
  },
};

const HELLO_HOOK = `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "hello.fullname" . }}-prepare
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-weight": "-1"
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: prepare
          image: "{{ with .Values.global.systemDefaultRegistry }}{{ . }}/{{ end }}busybox:1.36"
          command:
            - sh
            - -c
            - {{ printf "echo %s" .Values.greeting | quote }}
`;

const HELLO_CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "hello.fullname" . }}-greeting
data:
  greeting: {{ .Values.greeting | quote }}
  {{- with .Values.payload }}
  payload: {{ . | quote }}
  {{- end }}
`;

const LEDGER_TEMPLATES: Record<string, string> = {
  'statefulset.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ include "ledger.fullname" . }}
  labels:
    {{- include "ledger.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  serviceName: {{ include "ledger.fullname" . }}
  selector:
    matchLabels:
      {{- include "ledger.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "ledger.selectorLabels" . | nindent 8 }}
    spec:
      containers:
        - name: db
          image: "{{ with .Values.global.imageRegistry }}{{ . }}/{{ end }}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
          ports:
            - name: pg
              containerPort: 5432
`,
  'service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: {{ include "ledger.fullname" . }}
  labels:
    {{- include "ledger.labels" . | nindent 4 }}
spec:
  clusterIP: None
  ports:
    - port: 5432
      targetPort: pg
      name: pg
  selector:
    {{- include "ledger.selectorLabels" . | nindent 4 }}
`,
  'migrate-job.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "ledger.fullname" . }}-migrate-{{ .Release.Revision }}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "{{ with .Values.global.imageRegistry }}{{ . }}/{{ end }}busybox:1.36"
          command: [sh, -c, echo migrated]
`,
};

/**
 * Makes `<dir>/<name>` with `helm create`, customises it, and packages it to
 * `<dir>/<name>-<version>.tgz` (returned).
 */
export async function makeSampleChart(
  helm: string,
  dir: string,
  options: SampleChartOptions,
): Promise<string> {
  const home = join(dir, '.helm-home');
  await mkdir(home, { recursive: true });
  const chartDir = join(dir, options.name);
  await rm(chartDir, { recursive: true, force: true });
  await helmRun(helm, home, ['create', options.name], dir);
  const templates = join(chartDir, 'templates');
  // Keep the chart small and fast to wait for: no test pod, ingress or autoscaler.
  for (const f of ['tests', 'ingress.yaml', 'hpa.yaml']) {
    await rm(join(templates, f), { recursive: true, force: true });
  }
  const chartYaml = join(chartDir, 'Chart.yaml');
  let meta = await readFile(chartYaml, 'utf8');
  meta = meta
    .replace(/^version: .*$/m, `version: ${options.version}`)
    .replace(/^appVersion: .*$/m, `appVersion: "${options.appVersion ?? '1.0.0'}"`)
    .replace(
      /^description: .*$/m,
      options.name === 'hello'
        ? 'description: A friendly web app that says hello'
        : 'description: A small ledger database with a migration job',
    );
  meta += `keywords: [${options.name === 'hello' ? 'web, demo' : 'database, demo'}]
icon: https://example.org/icons/${options.name}.svg
annotations:
  category: ${options.name === 'hello' ? 'WebApp' : 'Database'}
`;
  await writeFile(chartYaml, meta);
  // A project member may not create ServiceAccounts (as in Rancher): use the namespace's own.
  let values = (await readFile(join(chartDir, 'values.yaml'), 'utf8')).replace(
    /^( {2}create:) true$/m,
    '$1 false',
  );
  values = values.replace(
    /^ {2}repository: nginx$/m,
    `  repository: ${options.name === 'hello' ? 'nginx' : 'postgres'}`,
  );
  values += `\nglobal:\n  ${options.name === 'hello' ? 'systemDefaultRegistry' : 'imageRegistry'}: ""\n`;
  if (options.name === 'hello') values += 'greeting: hello\npayload: ""\n';
  if (options.extraValues) values += `${options.extraValues}\n`;
  await writeFile(join(chartDir, 'values.yaml'), values);
  await writeFile(
    join(chartDir, 'README.md'),
    `# ${options.name}\n\n${options.name === 'hello' ? 'Says hello.' : 'Keeps a ledger.'} Version ${options.version}.\n`,
  );
  if (options.name === 'hello') {
    await writeFile(join(chartDir, 'values.schema.json'), JSON.stringify(HELLO_SCHEMA, null, 2));
    await writeFile(join(templates, 'prepare-hook.yaml'), HELLO_HOOK);
    await writeFile(join(templates, 'configmap.yaml'), HELLO_CONFIG);
    // The web image honours the registry setting the way Rancher's charts do.
    const deployment = join(templates, 'deployment.yaml');
    const text = await readFile(deployment, 'utf8');
    await writeFile(
      deployment,
      text.replace(
        'image: "{{ .Values.image.repository }}',
        'image: "{{ with .Values.global.systemDefaultRegistry }}{{ . }}/{{ end }}{{ .Values.image.repository }}',
      ),
    );
  } else {
    await rm(join(templates, 'deployment.yaml'), { force: true });
    await rm(join(templates, 'service.yaml'), { force: true });
    await rm(join(templates, 'NOTES.txt'), { force: true });
    await writeFile(
      join(templates, 'NOTES.txt'),
      'The ledger runs as {{ include "ledger.fullname" . }}.\n',
    );
    for (const [file, text] of Object.entries(LEDGER_TEMPLATES)) {
      await writeFile(join(templates, file), text);
    }
  }
  await helmRun(helm, home, ['package', options.name, '--destination', dir], dir);
  return join(dir, `${options.name}-${options.version}.tgz`);
}

/** Writes `<dir>/index.yaml` for the packages in `dir` with `helm repo index`. */
export async function indexRepository(helm: string, dir: string, url?: string): Promise<void> {
  const home = join(dir, '.helm-home');
  await mkdir(home, { recursive: true });
  await helmRun(
    helm,
    home,
    ['repo', 'index', dir, ...(url === undefined ? [] : ['--url', url])],
    dir,
  );
}
