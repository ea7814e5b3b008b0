import cliPackage from '../package.json' with { type: 'json' };

/** The version of the `lading` command, as `--version` prints it and its spans carry it. */
export const cliVersion: string = cliPackage.version;
