/**
 * Just enough HCL to write orglink's Terraform files by hand. Values inside `jsonencode(...)` are
 * written in JSON syntax (HCL accepts `"key": value` in object constructors), so the policy text a
 * reader sees is the JSON that Terraform will send to IAM.
 */

/** A quoted HCL string; `${` and `%{` are doubled so Terraform never reads them as templates. */
export function hclString(value: string): string {
  return JSON.stringify(value).replaceAll('${', () => '$${').replaceAll('%{', '%%{');
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON-syntax HCL expression for the value, indented to sit at `indent` spaces. */
export function hclJson(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent + 2);
  const end = ' '.repeat(indent);
  const v = value as JsonValue;
  if (typeof v === 'string') return hclString(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((item) => `${pad}${hclJson(item, indent + 2)}`).join(',\n')}\n${end}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([key, item]) => `${pad}${hclString(key)}: ${hclJson(item, indent + 2)}`).join(',\n')}\n${end}}`;
}

/** `jsonencode(<value>)` as an HCL expression. */
export function hclJsonencode(value: unknown, indent = 0): string {
  return `jsonencode(${hclJson(value, indent)})`;
}

/** A list of strings on one line per item. */
export function hclStringList(values: readonly string[], indent = 0): string {
  if (values.length === 0) return '[]';
  const pad = ' '.repeat(indent + 2);
  return `[\n${values.map((v) => `${pad}${hclString(v)},`).join('\n')}\n${' '.repeat(indent)}]`;
}
