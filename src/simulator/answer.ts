/**
 * What the simulator sends back: a status, headers and body bytes, built once per request.
 * Every answer carries a fresh request id in `x-acs-request-id`; error bodies repeat it as
 * `requestId` next to `code` and `message`, ACK's error shape.
 */
import { randomUUID } from 'node:crypto';

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export const JSON_CONTENT_TYPE = 'application/json;charset=utf-8';

/** ACK's request ids are upper-case UUIDs. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function jsonAnswer(
  status: number,
  body: Buffer,
  requestId: string,
  extraHeaders: Readonly<Record<string, string>> = {},
): Answer {
  return {
    status,
    headers: {
      'content-type': JSON_CONTENT_TYPE,
      'x-acs-request-id': requestId,
      'x-acs-trace-id': requestId.replaceAll('-', '').toLowerCase(),
      ...extraHeaders,
    },
    body,
  };
}

/** An ACK error: `{"code","message","requestId"}` plus any extra keys (e.g. `accessDeniedDetail`). */
export function errorAnswer(
  status: number,
  code: string,
  message: string,
  options: { requestId?: string; extraBody?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Answer {
  const requestId = options.requestId ?? newRequestId();
  const body = Buffer.from(JSON.stringify({ code, message, requestId, ...options.extraBody }));
  return jsonAnswer(status, body, requestId, options.headers);
}
