/**
 * Glue between commander and the client commands: building the context for an action,
 * and the small flag parsers shared by several commands.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { CommandContext, resolveGlobals } from './context.js';
import type { CliIo } from './output.js';

/** A client command's body: it gets the context, its own options and its positional arguments. */
export type ClientAction<O> = (ctx: CommandContext, options: O, args: string[]) => Promise<void>;

/** Wraps a client action for commander's `.action()`, resolving global options per call. */
export function clientAction<O>(io: CliIo, run: ClientAction<O>): (...params: unknown[]) => Promise<void> {
  return async (...params: unknown[]) => {
    const command = params[params.length - 1] as Command;
    const ctx = new CommandContext(io, resolveGlobals(command, io.env));
    const args = params.slice(0, -2).filter((p): p is string => typeof p === 'string');
    await run(ctx, command.opts() as O, args);
  };
}

/** Option parser for repeatable flags that also accept comma-separated values (`--capability a,b --capability c`). */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...splitList(value)];
}

/** Splits `a,b , c` into `['a','b','c']`, dropping empty parts. */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** `--regions all` or `--regions us-east-1,eu-west-1`. */
export function parseRegions(value: string): 'all' | string[] {
  return value.trim() === 'all' ? 'all' : splitList(value);
}

/** Option parser for non-negative integers; anything else is a commander usage error (exit 2). */
export function parseInteger(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('Not a whole number.');
  return Number(value);
}

/** Drops undefined values so bodies carry only the fields the user set. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Encodes one path segment (ids and handles are safe, but user input is not trusted). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
