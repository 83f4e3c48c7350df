/** Waiting for Ctrl-C: long-running commands (serve, demo, worker) block here, then close what they opened. */

/** A shutdown listener: `signal` resolves on the first SIGINT or SIGTERM; `dispose` stops listening. */
export interface ShutdownListener {
  signal: Promise<NodeJS.Signals>;
  dispose(): void;
}

/**
 * Starts listening for SIGINT/SIGTERM now. Call it before starting anything: until a listener
 * exists, Node leaves the default disposition in place and a signal kills the process outright.
 */
export function listenForShutdown(): ShutdownListener {
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    onSignal = (received) => {
      dispose();
      resolve(received);
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal, dispose };
}

/** Resolves with the signal name on the first SIGINT or SIGTERM. */
export function waitForShutdownSignal(): Promise<NodeJS.Signals> {
  return listenForShutdown().signal;
}
