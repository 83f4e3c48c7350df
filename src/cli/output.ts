/**
 * Where the CLI writes. Like gh: data goes to stdout (a table for people, stable JSON with
 * --json), while errors and progress notes go to stderr, so `--json | jq` always sees data only.
 */
import type { CliError } from './cli-error.js';
import { renderDetails, renderTable, type Column } from './table.js';

/** The streams and environment a CLI run uses; tests and main.ts pass their own. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** Prints results in the mode the user chose. */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** A list: `{items:[...]}` with --json, else a table (or a note on stderr when empty). */
  list<T>(items: readonly T[], columns: readonly Column<T>[], noun: string): void {
    if (this.json) return this.writeJson({ items });
    if (items.length === 0) {
      this.io.stderr.write(`No ${noun} found.\n`);
      return;
    }
    this.io.stdout.write(renderTable(columns, items));
  }

  /** One object: the API object with --json, else `key: value` lines. */
  detail(value: Record<string, unknown>): void {
    if (this.json) return this.writeJson(value);
    this.io.stdout.write(renderDetails(value));
  }

  /** Raw text on stdout, byte for byte (templates, confirmations). */
  text(value: string): void {
    this.io.stdout.write(value);
  }

  /** A progress or hint line for people; silent with --json so scripts see data only. */
  note(message: string): void {
    if (!this.json) this.io.stderr.write(message + '\n');
  }

  /** The JSON value, pretty-printed with a trailing newline. */
  writeJson(value: unknown): void {
    this.io.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** An error on stderr: `{code,message,field?,details?,status?}` with --json, else `error: ...`. */
  error(error: CliError): void {
    if (this.json) {
      this.io.stderr.write(JSON.stringify(error.toJSON()) + '\n');
      return;
    }
    const field = error.field === undefined ? '' : ` (field: ${error.field})`;
    this.io.stderr.write(`error: ${error.message}${field} [${error.code}]\n`);
  }
}
