import { StringDecoder } from 'node:string_decoder';
import { OutputFrameScanner, type StepFrame } from '@lading/runtime';
import { redactBytes, StreamRedactor, type LabelledBytes } from '@lading/secrets';
import { LogTail } from './log-tail.js';

export type OutputStream = 'stdout' | 'stderr';

/** The tail of a run's masked output, as the log record keeps it. */
export interface StoredLog {
  log: string;
  /** Whether the start of the output was dropped to keep the tail within the limit. */
  truncated: boolean;
}

export interface RunOutputOptions {
  nonce: string;
  /** Every value the run was leased, and sensitive defaults: masked wherever they appear. */
  secretValues: readonly string[];
  /** The values no output may carry (masked in it); the secret values when not given. */
  outputSecretValues?: readonly string[];
  /** The names of the outputs the bundle declares sensitive: their values are masked once known. */
  sensitiveOutputs: ReadonlySet<string>;
  /** How much of the end of the output the stored log keeps. */
  logLimit: number;
  /** Masked output on its way to the user, as it arrives. */
  deliver(stream: OutputStream, text: string): void;
  /** A step of the run script began or ended (its span). */
  onStep?(frame: StepFrame): void;
}

/**
 * A container's output on its way to the user and the stored log: output frames taken out of
 * stdout, then each stream masked, and only the log's tail kept. Masking happens before anything leaves the runner, so no event, stored log or
 * terminal ever sees a value, even one split across chunks (or, for Lading's run script, across stdout and stderr).
 *
 * A sensitive output's value is masked from the moment the runner learns it: the run script
 * announces it in a mask frame before it replays the output of the step that captured it, and
 * the output frame at the end announces it again.
 */
export class RunOutput {
  readonly outputs = new Map<string, Buffer>();
  /**
   * One redactor per stream: Docker keeps the order within a stream but not between them, so a
   * chunk of one stream arriving late must not release a value held back on the other. The run
   * script joins its steps' stderr to stdout inside the container, so what a bundle prints is one
   * stream in the order it was written, masked as one: a value split across the two is caught there.
   */
  readonly #redactors: Record<OutputStream, StreamRedactor<OutputStream>>;
  readonly #frames: OutputFrameScanner;
  readonly #tail: LogTail;
  readonly #decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  readonly #deliver: RunOutputOptions['deliver'];
  #ended = false;

  constructor(options: RunOutputOptions) {
    this.#redactors = { stdout: new StreamRedactor<OutputStream>(options.secretValues), stderr: new StreamRedactor<OutputStream>(options.secretValues) };
    const learn = (value: Buffer) => Object.values(this.#redactors).forEach((redactor) => redactor.learn([value]));
    this.#tail = new LogTail(options.logLimit);
    this.#deliver = options.deliver;
    this.#frames = new OutputFrameScanner(
      options.nonce,
      (name, value) => {
        // An output must not carry a leased value out of the run: such a value is kept masked.
        const kept = redactBytes(value, options.outputSecretValues ?? options.secretValues);
        this.outputs.set(name, kept);
        if (options.sensitiveOutputs.has(name)) learn(kept);
      },
      { onMask: learn, onStep: options.onStep },
    );
  }

  /** How many values were masked in the output, both streams together. */
  get redactions(): number {
    return this.#redactors.stdout.masked + this.#redactors.stderr.masked;
  }

  stdout(chunk: Buffer): void {
    for (const bytes of this.#frames.scan(chunk)) this.#pass(this.#redactors.stdout.write(bytes, 'stdout'));
  }

  stderr(chunk: Buffer): void {
    this.#pass(this.#redactors.stderr.write(chunk, 'stderr'));
  }

  /** Flushes what is held back; returns the log to store. */
  end(): StoredLog {
    if (this.#ended) return this.#tail.text();
    this.#ended = true;
    for (const bytes of this.#frames.end()) this.#pass(this.#redactors.stdout.write(bytes, 'stdout'));
    this.#pass(this.#redactors.stdout.end());
    this.#pass(this.#redactors.stderr.end());
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#decoders[stream].end();
      if (rest) this.#deliver(stream, rest);
    }
    return this.#tail.text();
  }

  #pass(parts: LabelledBytes<OutputStream>[]): void {
    for (const { label, bytes } of parts) {
      this.#tail.append(bytes);
      const text = this.#decoders[label].write(bytes);
      if (text) this.#deliver(label, text);
    }
  }
}
