import { settingsTable, text } from '@lading/contracts/settings';
import { spansFileSetting } from './shared-settings.js';

/**
 * What the `lading` command reads (and `lading up` as it starts the stack), besides the
 * OpenTelemetry settings every process reads. None is a number, so none can be refused; each is
 * read where it is used, from this table only.
 */
export const cliSettings = settingsTable({
  home: {
    name: 'LADING_HOME',
    type: text('directory'),
    meaning: 'where the stack lives (its files, logs, principals); default: `/var/lib/lading` for root, `~/.lading` for everyone else',
  },
  credentials: {
    name: 'LADING_CREDENTIALS',
    type: text('file'),
    meaning: "a principal's credentials file to act as (as `--credentials` does); default: the administrator's, of the stack in `LADING_HOME`",
  },
  keyPassword: {
    name: 'LADING_KEY_PASSWORD',
    type: text(),
    meaning: 'the passphrase of a signing key (`lading keys generate`, `--sign`); never an argument, so it is in no process list or shell history',
  },
  debug: { name: 'LADING_DEBUG', type: text('any value'), meaning: 'set (for example to `1`), a failure also prints where it happened (its stack)' },
  spansFile: spansFileSetting,
  traceParent: {
    name: 'TRACEPARENT',
    type: text('W3C `traceparent`'),
    meaning: 'a trace the command continues (OpenTelemetry environment carrier): a CI job\'s build, publish and install become one trace',
  },
  traceState: { name: 'TRACESTATE', type: text('W3C `tracestate`'), meaning: 'the vendor state of that trace, passed on with it' },
  cacheDir: {
    name: 'LADING_CACHE_DIR',
    type: text('directory'),
    meaning: 'where `lading up` keeps downloaded Debian packages and finished image layers, shared by every Lading home on the machine; default: `$XDG_CACHE_HOME/lading`',
  },
  userHome: { name: 'HOME', type: text('directory'), meaning: 'where `~/` and `$HOME/` lead in a `path` source of a credential or parameter set' },
  xdgCacheHome: { name: 'XDG_CACHE_HOME', type: text('directory'), meaning: "the user's cache directory (XDG Base Directory); default: `~/.cache`" },
});
