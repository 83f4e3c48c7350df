/**
 * Query-protocol output: `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata>`
 * with lists as `<member>`, `Map`s as `<entry><key/><value/></entry>`, Dates as ISO-8601
 * and everything escaped. Handlers return plain objects; this is the only XML writer.
 */
import type { AwsError } from '../aws-error.js';

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c] ?? c).replace(INVALID_XML_CHARS, '\uFFFD');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };
// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Serializes one value as the content of an element. */
export function xmlValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return escapeXml(value.toISOString());
  if (Array.isArray(value)) return value.map((item) => `<member>${xmlValue(item)}</member>`).join('');
  if (value instanceof Map) {
    let out = '';
    for (const [k, v] of value) out += `<entry><key>${escapeXml(String(k))}</key><value>${xmlValue(v)}</value></entry>`;
    return out;
  }
  if (typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${xmlValue(v)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}

/** The success envelope; an operation without output gets no Result element. */
export function queryResponse(operation: string, namespace: string, result: unknown, requestId: string): string {
  const body = result === undefined || result === null ? '' : `<${operation}Result>${xmlValue(result)}</${operation}Result>`;
  return (
    `<${operation}Response xmlns="${escapeXml(namespace)}">${body}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`
  );
}

/** AWS's Query error envelope (with the service's xmlns once the service is known). */
export function queryErrorResponse(error: AwsError, requestId: string, namespace?: string): string {
  const xmlns = namespace ? ` xmlns="${escapeXml(namespace)}"` : '';
  return (
    `<ErrorResponse${xmlns}><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
