/**
 * The CLI loads only the module of the command it runs (command-index.ts). That table must
 * name exactly the commands the modules declare, or a command would be missing from help or
 * unreachable.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandGroups, groupsFor } from '../src/command-index.js';
import { buildProgram } from '../src/program.js';

describe('the command index', () => {
  it('lists each group exactly the top-level commands its module declares', async () => {
    for (const group of commandGroups) {
      const program = new Command('lading');
      await group.register(program);
      expect(program.commands.map((command) => command.name())).toEqual(group.commands);
    }
  });

  it('gives help every command, in the table order, and --version none', async () => {
    const all = await buildProgram([]);
    expect(all.commands.map((command) => command.name())).toEqual(commandGroups.flatMap((group) => group.commands));
    expect(groupsFor(['--version'])).toEqual([]);
    expect(groupsFor(['-V'])).toEqual([]);
    expect(groupsFor(['--help'])).toEqual(commandGroups);
    expect(groupsFor(['no-such-command'])).toEqual(commandGroups);
  });

  it('loads one group for a command, past the value of --credentials', () => {
    const installations = commandGroups.find((group) => group.commands.includes('installations'));
    expect(groupsFor(['--credentials', 'install', 'installations', 'list'])).toEqual([installations]);
    expect(groupsFor(['installations', 'list', '--version'])).toEqual([installations]);
  });
});
