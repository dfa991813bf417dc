// Using applications: slash and context-menu commands (interaction type 2), autocomplete (4), message
// components (3) and modal submissions (5), each a `POST /interactions`; and what the gateway tells the invoker
// of them: INTERACTION_CREATE (accepted), INTERACTION_SUCCESS (the bot answered), INTERACTION_FAILURE (it did
// not within 3 s: "The application did not respond"), INTERACTION_MODAL_CREATE (a form to fill in) and
// APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE. What the UI shows of them lives here, outside the store's fields
// (components re-render on `changed`, as the message sheet's state does).

import { api } from '../api/rest';
import {
  ComponentType,
  MessageFlag,
  extrasOf,
  type ApplicationCommand,
  type CommandChoice,
  type Message,
  type ModalCreate,
  type Snowflake,
  type TextInput,
} from '../api/types';
import { call } from '../voice/call';
import { showError } from './actions';
import { commandsChanged, type OptionValue } from './commands';
import { isPrivate } from './private';
import { changed, state } from './store';

export const NO_RESPONSE = 'The application did not respond';
/** How long a sent interaction may stay unanswered before its spinner gives up (the server says after 3 s). */
const GIVE_UP_MS = 15_000;
const AUTOCOMPLETE_EVERY_MS = 300;

const Kind = { Command: 2, Component: 3, Autocomplete: 4, ModalSubmit: 5 } as const;

interface Sent {
  kind: number;
  channelId: Snowflake;
  applicationId: Snowflake;
  /** A component's interaction: the message and the component (`messageId:custom_id`). */
  messageId?: Snowflake;
  componentKey?: string;
  timer: number;
}

/** Interactions sent and not yet answered, by nonce. */
const sent = new Map<string, Sent>();
/** The last few answered ones: a form (INTERACTION_MODAL_CREATE) may come after INTERACTION_SUCCESS. */
const answered = new Map<string, Sent>();
const ANSWERED_KEPT = 20;

/** A line under a conversation's composer: a command on its way, or one that failed. */
export interface CommandStatus {
  nonce: string;
  text: string;
  failed: boolean;
}

export const interactions = {
  status: new Map<Snowflake, CommandStatus>(),
  /** Components waiting for their application (`messageId:custom_id`), with the message as it was clicked:
   *  a new version of the message (an update) ends the wait too. */
  loading: new Map<string, { nonce: string; message: Message }>(),
  /** A message whose last component interaction failed, and why. */
  componentFailed: new Map<Snowflake, string>(),
  /** The open form a bot asked for, where it was asked, and its submission's state. */
  modal: null as (ModalCreate & { channelId: Snowflake; messageId?: Snowflake }) | null,
  modalSending: null as string | null,
  modalError: null as string | null,
  /** The latest autocomplete request and its answer (null until it comes). */
  autocomplete: { nonce: '', choices: null as CommandChoice[] | null },
};

const DISCORD_EPOCH = 1420070400000n;

/** A fresh snowflake-shaped nonce: the time, and random low bits. */
export function interactionNonce(): string {
  const time = BigInt(Date.now()) - DISCORD_EPOCH;
  return String((time << 22n) | BigInt(Math.floor(Math.random() * 0x400000)));
}

function finish(nonce: string): Sent | undefined {
  const entry = sent.get(nonce);
  if (!entry) return undefined;
  window.clearTimeout(entry.timer);
  sent.delete(nonce);
  answered.set(nonce, entry);
  if (answered.size > ANSWERED_KEPT) answered.delete(answered.keys().next().value!);
  if (entry.componentKey && interactions.loading.get(entry.componentKey)?.nonce === nonce) {
    interactions.loading.delete(entry.componentKey);
  }
  const status = interactions.status.get(entry.channelId);
  if (status?.nonce === nonce && !status.failed) interactions.status.delete(entry.channelId);
  if (interactions.modalSending === nonce) interactions.modalSending = null;
  return entry;
}

function fail(nonce: string, text: string): void {
  const entry = finish(nonce);
  if (!entry) return;
  if (entry.kind === Kind.Command) interactions.status.set(entry.channelId, { nonce, text, failed: true });
  else if (entry.kind === Kind.Component && entry.messageId) interactions.componentFailed.set(entry.messageId, text);
  else if (entry.kind === Kind.ModalSubmit) interactions.modalError = text;
}

/** Sends one interaction under `nonce` (made first: the gateway's answer may come before the POST's). */
async function post(
  nonce: string,
  kind: number,
  channelId: Snowflake,
  applicationId: Snowflake,
  data: Record<string, unknown>,
  extra: { messageId?: Snowflake; componentKey?: string } = {},
): Promise<void> {
  const body: Record<string, unknown> = { type: kind, application_id: applicationId, channel_id: channelId, nonce, data };
  if (!isPrivate(channelId) && state.guild) body.guild_id = state.guild.id;
  const session = call.gateway?.session();
  if (session) body.session_id = session;
  if (extra.messageId) body.message_id = extra.messageId;
  if (kind !== Kind.Autocomplete) {
    const timer = window.setTimeout(() => {
      fail(nonce, NO_RESPONSE);
      changed();
    }, GIVE_UP_MS);
    sent.set(nonce, { kind, channelId, applicationId, ...extra, timer });
  }
  try {
    await api('POST', '/interactions', body);
  } catch (error) {
    if (kind === Kind.Autocomplete) return;
    if (kind === Kind.Component) {
      finish(nonce);
      showError(error);
    } else {
      fail(nonce, error instanceof Error ? error.message : String(error));
    }
    changed();
  }
}

/** Runs a slash command (with its options, nested as `nestOptions` makes them) or a context-menu command (on
 *  `targetId`, a user or a message). */
export function runCommand(channelId: Snowflake, command: ApplicationCommand, options?: OptionValue[], targetId?: Snowflake): void {
  const data: Record<string, unknown> = { id: command.id, name: command.name, type: command.type, version: command.version };
  if (options && options.length) data.options = options;
  if (targetId) data.target_id = targetId;
  const nonce = interactionNonce();
  interactions.status.set(channelId, { nonce, text: 'Sending command…', failed: false });
  void post(nonce, Kind.Command, channelId, command.application_id, data);
  changed();
}

let autocompleteTimer: number | undefined;
let autocompleteLast = 0;
let autocompleteNext: (() => void) | null = null;

/** Asks the application for choices for the focused option (marked `focused`, its partial text as `value`), at
 *  most every 300 ms: the latest request wins, older answers are ignored. */
export function requestAutocomplete(channelId: Snowflake, command: ApplicationCommand, options: OptionValue[]): void {
  autocompleteNext = () => {
    const data = { id: command.id, name: command.name, type: command.type, version: command.version, options };
    const nonce = interactionNonce();
    autocompleteLast = Date.now();
    interactions.autocomplete = { nonce, choices: null };
    void post(nonce, Kind.Autocomplete, channelId, command.application_id, data);
  };
  // Until the new request's answer comes, the old choices (of another text) are not shown.
  interactions.autocomplete = { nonce: '', choices: null };
  window.clearTimeout(autocompleteTimer);
  const wait = Math.max(0, autocompleteLast + AUTOCOMPLETE_EVERY_MS - Date.now());
  autocompleteTimer = window.setTimeout(() => {
    const run = autocompleteNext;
    autocompleteNext = null;
    run?.();
  }, wait);
}

/** The application a message's components belong to. */
function applicationOfMessage(message: Message): Snowflake {
  const extras = extrasOf(message);
  return extras.application_id ?? message.author.id;
}

/** A button click or a selection in a message's component. */
export function pressComponent(message: Message, componentType: number, customId: string, values?: string[]): void {
  const key = `${message.id}:${customId}`;
  const data: Record<string, unknown> = { component_type: componentType, custom_id: customId };
  if (values) data.values = values;
  const nonce = interactionNonce();
  interactions.componentFailed.delete(message.id);
  interactions.loading.set(key, { nonce, message });
  void post(nonce, Kind.Component, message.channel_id, applicationOfMessage(message), data, {
    messageId: message.id,
    componentKey: key,
  });
  changed();
}

/** Whether a component waits for its application (and the message was not updated since the click). */
export function isLoading(message: Message, customId: string): boolean {
  const waiting = interactions.loading.get(`${message.id}:${customId}`);
  return !!waiting && waiting.message === message;
}

/** Sends the open modal's values; it closes when the application answers. */
export function submitModal(values: Record<string, string>): void {
  const modal = interactions.modal;
  if (!modal) return;
  const data = {
    custom_id: modal.custom_id,
    components: modal.components.map((row) => ({
      type: 1,
      components: row.components
        .filter((c): c is TextInput => c.type === ComponentType.TextInput)
        .map((c) => ({ type: ComponentType.TextInput, custom_id: c.custom_id, value: values[c.custom_id] ?? '' })),
    })),
  };
  const nonce = interactionNonce();
  interactions.modalError = null;
  interactions.modalSending = nonce;
  void post(nonce, Kind.ModalSubmit, modal.channelId, modal.application.id, data, { messageId: modal.messageId });
  changed();
}

export function closeModal(): void {
  interactions.modal = null;
  interactions.modalSending = null;
  interactions.modalError = null;
  changed();
}

/** Takes a message only this user sees (an ephemeral answer) out of the conversation. */
export function dismissEphemeral(message: Message): void {
  const h = state.histories.get(message.channel_id);
  if (h) h.messages = h.messages.filter((m) => m.id !== message.id);
  changed();
}

export function isEphemeral(message: Message): boolean {
  return (message.flags & MessageFlag.Ephemeral) !== 0;
}

export function dismissStatus(channelId: Snowflake): void {
  interactions.status.delete(channelId);
  changed();
}

export const interactionHandlers = {
  INTERACTION_CREATE() {
    // Accepted: the application has it. What waits keeps waiting until it answers or fails.
  },
  INTERACTION_SUCCESS(d: { id: Snowflake; nonce: string }) {
    const entry = finish(d.nonce);
    if (entry?.kind === Kind.ModalSubmit && interactions.modal) {
      interactions.modal = null;
      interactions.modalError = null;
    }
  },
  INTERACTION_FAILURE(d: { id: Snowflake; nonce: string; reason?: string }) {
    fail(d.nonce, NO_RESPONSE);
  },
  INTERACTION_MODAL_CREATE(d: ModalCreate) {
    // The interaction that asked for it is answered; the form opens where it was used (in the tab that used
    // it: another tab of the same person does not know the nonce).
    const entry = finish(d.nonce) ?? answered.get(d.nonce);
    if (!entry) return;
    interactions.modal = { ...d, channelId: entry.channelId, messageId: entry.messageId };
    interactions.modalSending = null;
    interactions.modalError = null;
  },
  APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE(d: { nonce: string; choices: CommandChoice[] }) {
    if (d.nonce === interactions.autocomplete.nonce) interactions.autocomplete = { nonce: d.nonce, choices: d.choices ?? [] };
  },
  APPLICATION_COMMAND_PERMISSIONS_UPDATE() {
    commandsChanged();
  },
};
