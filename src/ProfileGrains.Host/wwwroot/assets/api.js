// Calls the engine's JSON API (gRPC JSON transcoding) on the page's own origin, with the API key kept for this tab.
const KEY = 'profilegrains.apiKey';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY) ?? '',
  set: (value) => value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY),
};

/** A refused or failed call: the gRPC status, its message and, for INVALID_ARGUMENT, each field and why. */
export class EngineError extends Error {
  constructor(httpStatus, code, message, violations = []) {
    super(message);
    this.httpStatus = httpStatus;
    this.code = code;
    this.violations = violations;
  }

  /** What a person can do about it, in words. */
  get explanation() {
    switch (this.httpStatus) {
      case 0: return `The engine cannot be reached (${this.message}). Is it running?`;
      case 401: return 'The engine needs an API key: enter one under "API key".';
      case 403: return `This API key may not do that: ${this.message}`;
      case 404: return this.message || 'Not found.';
      case 429: return 'Too many requests: wait a moment and try again.';
      default: return this.message || `The engine answered HTTP ${this.httpStatus}.`;
    }
  }
}

const GRPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS',
  'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED',
  'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

function headers(hasBody) {
  const h = { accept: 'application/json' };
  const key = apiKey.get();
  if (key) h.authorization = `Bearer ${key}`;
  if (hasBody) h['content-type'] = 'application/json';
  return h;
}

async function failure(response) {
  const text = await response.text();
  let status = null;
  try { status = text ? JSON.parse(text) : null; } catch { /* not JSON: an HTTP error page */ }
  const violations = (status?.details ?? []).flatMap((d) => d.fieldViolations ?? [])
    .map((v) => ({ field: v.field, description: v.description }));
  const message = status?.message ?? (text.length < 300 ? text : '');
  return new EngineError(response.status, GRPC_CODES[status?.code] ?? `HTTP_${response.status}`, message, violations);
}

/** One call: the parsed JSON answer, or an EngineError. */
export async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new EngineError(0, 'UNAVAILABLE', e.message);
  }
  if (!response.ok) throw await failure(response);
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body ?? {});

/** A server stream (newline-delimited JSON): calls onMessage for each message until the stream ends or signal aborts. */
export async function stream(path, onMessage, signal, onOpen) {
  let response;
  try {
    response = await fetch(path, { headers: headers(false), signal });
  } catch (e) {
    if (signal?.aborted) return;
    throw new EngineError(0, 'UNAVAILABLE', e.message);
  }
  if (!response.ok) throw await failure(response);
  onOpen?.();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line) {
          const message = JSON.parse(line);
          // An error after the stream started arrives as a status object in the stream.
          if (message.code !== undefined && message.segmentId === undefined) throw new EngineError(500, GRPC_CODES[message.code], message.message);
          onMessage(message);
        }
      }
    }
  } catch (e) {
    if (!signal?.aborted) throw e;
  }
}

/** Query string for a CustomerRef or an Identifier nested under `prefix` (e.g. "customer.identifier"). */
export function identifierQuery(prefix, type, value) {
  return `${prefix}.type=${encodeURIComponent(type)}&${prefix}.value=${encodeURIComponent(value)}`;
}

export const IDENTIFIER_TYPES = [
  ['IDENTIFIER_TYPE_EMAIL', 'E-mail'],
  ['IDENTIFIER_TYPE_PHONE', 'Phone'],
  ['IDENTIFIER_TYPE_LOYALTY_ID', 'Loyalty card'],
  ['IDENTIFIER_TYPE_CRM_ID', 'CRM id'],
  ['IDENTIFIER_TYPE_ANONYMOUS_ID', 'Anonymous / device id'],
];

/** A fresh id for an event or an order: retries of the same call reuse it, so the engine counts it once. */
export const newId = (prefix) => `${prefix}-${crypto.randomUUID()}`;

export const money = (m) => m ? `${(Number(m.units ?? 0) + (m.nanos ?? 0) / 1e9).toFixed(2)} ${m.currencyCode}` : '';

/** An amount in euros as google.type.Money-like units and nanos, rounded to the cent (sums of prices are not exact in floating point). */
export function euros(amount) {
  const cents = Math.round(amount * 100);
  return { currencyCode: 'EUR', units: String(Math.trunc(cents / 100)), nanos: (cents % 100) * 10_000_000 };
}

/** Saves text as a file the browser downloads, and lets go of it afterwards (exports hold personal data). */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
