/** Reads a watch response (one JSON event per line) as typed events. */
import {
  KubeApiError,
  type KubeObject,
  type KubeWatchEvent,
  type KubeWatchEventType,
} from '../../domain/kube-api.js';
import { codeOfStatus } from './kube-errors.js';

const types = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);

export async function* watchEvents(
  clusterId: string,
  body: AsyncIterable<Buffer | string> & { destroy?: (err?: Error) => void },
  signal: AbortSignal | undefined,
): AsyncGenerator<KubeWatchEvent> {
  let buffered = '';
  try {
    for await (const chunk of body) {
      buffered += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (line !== '') yield eventOf(clusterId, line);
      }
    }
    if (buffered.trim() !== '') yield eventOf(clusterId, buffered.trim());
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  } finally {
    body.destroy?.();
  }
}

function eventOf(clusterId: string, line: string): KubeWatchEvent {
  let parsed: { type?: string; object?: KubeObject & { code?: number; message?: string } };
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new KubeApiError(clusterId, 'INTERNAL', 'the watch stream carried invalid JSON', {
      cause: err,
    });
  }
  if (parsed.type === 'ERROR') {
    const status = typeof parsed.object?.code === 'number' ? parsed.object.code : 500;
    throw new KubeApiError(
      clusterId,
      codeOfStatus(status),
      parsed.object?.message ?? 'the watch ended with an error',
      { status },
    );
  }
  if (!parsed.type || !types.has(parsed.type) || !parsed.object) {
    throw new KubeApiError(clusterId, 'INTERNAL', 'the watch stream carried an unknown event');
  }
  return { type: parsed.type as KubeWatchEventType, object: parsed.object };
}
