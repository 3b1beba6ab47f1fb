import { PaddockError } from '../errors/index.js';

/** One bad configuration value: which key, where it came from, what is wrong, what is accepted. */
export interface ConfigProblem {
  readonly key: string;
  readonly source: string;
  readonly message: string;
}

/** Thrown by `loadConfig`; `main` prints the problems and exits with status 2. */
export class ConfigError extends PaddockError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super('CONFIG_INVALID', formatProblems(problems), { details: { problems } });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  ${p.source}: ${p.message}`);
  return `invalid configuration:\n${lines.join('\n')}`;
}
