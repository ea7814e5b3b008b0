/** The version of the `lading` command, as `--version` prints it and its spans carry it. */
export const cliVersion = '0.1.0';
