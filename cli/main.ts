// The `workbench` command line. Each command is a module in cli/commands/<name>.ts exporting
// `run(args: string[]): Promise<number>` (the exit code) and `summary: string`.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

interface CommandModule {
  run(args: string[]): Promise<number>;
  summary: string;
}

function availableCommands(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadCommand(name: string): Promise<CommandModule> {
  return (await import(pathToFileURL(path.join(commandsDir, `${name}.ts`)).href)) as CommandModule;
}

async function usage(): Promise<string> {
  const lines = ['usage: workbench <command> [options]', '', 'commands:'];
  for (const name of availableCommands()) lines.push(`  ${name.padEnd(10)} ${(await loadCommand(name)).summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await usage());
    return name ? 0 : 2;
  }
  if (!availableCommands().includes(name)) {
    console.error(`workbench: unknown command '${name}'\n\n${await usage()}`);
    return 2;
  }
  try {
    return await (await loadCommand(name)).run(rest);
  } catch (err) {
    // Commands report expected failures themselves; this is the last line of defence.
    console.error(`workbench ${name}: ${(err as Error).message}`);
    return 1;
  }
}
