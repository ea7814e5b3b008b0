import type { RunEvent } from '@lading/contracts';
import { neutraliseControls } from './terminal-text.js';

/**
 * Marks every line a bundle prints, so that none can pass for one of the CLI's own status
 * lines (`install demo: succeeded`), which carry no mark; with control characters shown as
 * escapes, a bundle cannot remove the mark from the screen either.
 */
export const bundleLineMark = '| ';

/** Prints a run's log events on the CLI's stdout and stderr, each line marked. */
export class BundleOutputPrinter {
  readonly #atLineStart = { stdout: true, stderr: true };
  readonly #streams: Record<'stdout' | 'stderr', NodeJS.WritableStream>;

  constructor(streams: Record<'stdout' | 'stderr', NodeJS.WritableStream> = { stdout: process.stdout, stderr: process.stderr }) {
    this.#streams = streams;
  }

  print(event: Extract<RunEvent, { type: 'log' }>): void {
    const text = neutraliseControls(event.data);
    if (text === '') return;
    const lines = text.split('\n');
    const last = lines.pop() as string;
    let marked = '';
    for (const line of lines) {
      marked += `${this.#atLineStart[event.stream] ? bundleLineMark : ''}${line}\n`;
      this.#atLineStart[event.stream] = true;
    }
    if (last !== '') {
      marked += `${this.#atLineStart[event.stream] ? bundleLineMark : ''}${last}`;
      this.#atLineStart[event.stream] = false;
    }
    this.#streams[event.stream].write(marked);
  }

  /** Ends a line the bundle left open on stderr, so that the CLI's next status line starts at the margin. */
  endOpenLines(): void {
    if (!this.#atLineStart.stdout) this.#streams.stdout.write('\n');
    if (!this.#atLineStart.stderr) this.#streams.stderr.write('\n');
    this.#atLineStart.stdout = true;
    this.#atLineStart.stderr = true;
  }
}
