// The applications' commands this user may use where they are: the space's command index
// (`GET /guilds/{id}/application-command-index`, for its channels and threads) or a DM's or group's
// (`GET /channels/{id}/application-command-index`). Fetched when first needed (a `/` typed, an Apps menu
// opened), again after APPLICATION_COMMAND_PERMISSIONS_UPDATE and when what is kept is older than 5 minutes;
// a 404 or 403 means no commands. Slash commands are flattened into one entry per runnable leaf, as Discord
// lists them: `/cmd`, `/cmd sub`, `/cmd group sub`.

import { ApiError, api } from '../api/rest';
import {
  CommandType,
  OptionType,
  type ApplicationCommand,
  type CommandIndex,
  type CommandOption,
  type IndexApplication,
  type Snowflake,
} from '../api/types';
import { isPrivate } from './private';
import { changed, state } from './store';

const MAX_AGE = 5 * 60 * 1000;
/** After a failure other than 403/404 (the network), how soon to ask again. */
const RETRY = 30 * 1000;

interface Kept {
  index: CommandIndex | null;
  fetchedAt: number;
  loading: boolean;
}

const kept = new Map<string, Kept>();
const EMPTY: CommandIndex = { applications: [], application_commands: [], version: '0' };

/** Whose index covers a channel: the space's for its channels and threads, the conversation's own for DMs. */
function scope(channelId: Snowflake): string {
  return isPrivate(channelId) || !state.guild ? `/channels/${channelId}` : `/guilds/${state.guild.id}`;
}

async function fetchIndex(key: string, entry: Kept): Promise<void> {
  entry.loading = true;
  try {
    entry.index = await api<CommandIndex>('GET', `${key}/application-command-index`);
    entry.fetchedAt = Date.now();
  } catch (error) {
    const none = error instanceof ApiError && (error.status === 403 || error.status === 404);
    entry.index ??= EMPTY;
    entry.fetchedAt = none ? Date.now() : Date.now() - MAX_AGE + RETRY;
  } finally {
    entry.loading = false;
    changed();
  }
}

/** The command index for a channel as known now (null until the first answer); asks the server when it has
 *  not yet or what is kept is stale. Safe to call while rendering (the answer arrives later, with `changed`). */
export function commandIndex(channelId: Snowflake): CommandIndex | null {
  const key = scope(channelId);
  let entry = kept.get(key);
  if (!entry) kept.set(key, (entry = { index: null, fetchedAt: 0, loading: false }));
  if (!entry.loading && Date.now() - entry.fetchedAt > MAX_AGE) void fetchIndex(key, entry);
  return entry.index;
}

/** APPLICATION_COMMAND_PERMISSIONS_UPDATE (or commands changed): everything kept is stale; the indexes
 *  already used are fetched again at once, so an open picker or menu updates. */
export function commandsChanged(): void {
  for (const [key, entry] of kept) {
    entry.fetchedAt = 0;
    if (!entry.loading) void fetchIndex(key, entry);
  }
}

export function applicationOf(index: CommandIndex, id: Snowflake): IndexApplication | undefined {
  return index.applications.find((a) => a.id === id);
}

/** One runnable slash command: a command without subcommands, or one subcommand of it (maybe in a group). */
export interface CommandEntry {
  command: ApplicationCommand;
  app: IndexApplication | undefined;
  /** The group and subcommand names below the command (empty for a plain command). */
  path: string[];
  /** `cmd`, `cmd sub` or `cmd group sub`. */
  full: string;
  description: string;
  /** The options the user fills in. */
  options: CommandOption[];
}

/** Every runnable slash command of an index, by name. */
export function slashEntries(index: CommandIndex): CommandEntry[] {
  const out: CommandEntry[] = [];
  for (const command of index.application_commands) {
    if (command.type !== CommandType.ChatInput) continue;
    const app = applicationOf(index, command.application_id);
    const options = command.options ?? [];
    const subs = options.filter((o) => o.type === OptionType.SubCommand || o.type === OptionType.SubCommandGroup);
    if (subs.length === 0) {
      out.push({ command, app, path: [], full: command.name, description: command.description, options });
      continue;
    }
    for (const sub of subs) {
      if (sub.type === OptionType.SubCommand) {
        out.push(leaf(command, app, [sub.name], sub));
      } else {
        for (const inner of sub.options ?? []) {
          if (inner.type === OptionType.SubCommand) out.push(leaf(command, app, [sub.name, inner.name], inner));
        }
      }
    }
  }
  return out.sort((a, b) => a.full.localeCompare(b.full));
}

function leaf(command: ApplicationCommand, app: IndexApplication | undefined, path: string[], sub: CommandOption): CommandEntry {
  return {
    command,
    app,
    path,
    full: [command.name, ...path].join(' '),
    description: sub.description,
    options: sub.options ?? [],
  };
}

/** The context-menu commands of an index for a user (type 2) or a message (type 3), by name. */
export function contextCommands(
  index: CommandIndex,
  type: typeof CommandType.User | typeof CommandType.Message,
): { command: ApplicationCommand; app: IndexApplication | undefined }[] {
  return index.application_commands
    .filter((c) => c.type === type)
    .map((command) => ({ command, app: applicationOf(index, command.application_id) }))
    .sort((a, b) => a.command.name.localeCompare(b.command.name));
}

/** A filled-in option as the interaction carries it. */
export interface OptionValue {
  type: number;
  name: string;
  value?: string | number | boolean;
  focused?: boolean;
  options?: OptionValue[];
}

/** The leaf options wrapped in the subcommand (and group) they belong to, as Discord nests them. */
export function nestOptions(entry: CommandEntry, leafOptions: OptionValue[]): OptionValue[] {
  if (entry.path.length === 0) return leafOptions;
  if (entry.path.length === 1) return [{ type: OptionType.SubCommand, name: entry.path[0], options: leafOptions }];
  return [
    {
      type: OptionType.SubCommandGroup,
      name: entry.path[0],
      options: [{ type: OptionType.SubCommand, name: entry.path[1], options: leafOptions }],
    },
  ];
}
