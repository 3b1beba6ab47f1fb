/** What the browser tours do on a page: sign in, ask GraphQL as the page, run axe. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { waitFor } from '../../../support/wait-for.js';
import { screenshot } from './chromium.js';

const require = createRequire(import.meta.url);

export async function signIn(page: Page, url: string, username: string, password: string) {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A GraphQL request from inside the page, as its own session cookie allows. */
export async function graphqlFromPage(
  page: Page,
  query: string,
  variables: Record<string, unknown>,
) {
  const text = await page.evaluate(
    async ([q, v]) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return `${res.status} ${await res.text()}`;
    },
    [query, variables] as const,
  );
  const space = text.indexOf(' ');
  return { status: Number(text.slice(0, space)), body: JSON.parse(text.slice(space + 1)) };
}

let axeSource: string | undefined;

/** axe-core's serious and critical findings on the page as it is now (`id: targets`). */
export async function seriousAxeFindings(page: Page): Promise<string[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(axeSource);
  return JSON.parse(
    String(
      await page.evaluate(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))",
      ),
    ),
  ) as string[];
}

/**
 * Waits until the page's URL matches. Unlike `page.waitForURL`, a navigation that the app
 * aborts by navigating again (a route that finds the session ended and goes to the login page)
 * does not fail the wait: only the URL the page ends on counts.
 */
export function waitForUrl(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    `the page at ${pattern}`,
    () => (pattern.test(page.url()) ? page.url() : undefined),
    { timeoutMs, intervalMs: 50 },
  );
}

/**
 * Keeps the page of a tour's first failing step as `<name>-failed-step.png`. The later steps
 * still run (none is skipped): each reports its own result, though after a failure they may
 * fail for want of the state the broken step should have left.
 */
export function keepFirstFailure(name: string, page: () => Page | undefined): void {
  let kept = false;
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed' || kept) return;
    kept = true;
    const current = page();
    if (current) await screenshot(current, `${name}-failed-step`).catch(() => undefined);
  });
}
