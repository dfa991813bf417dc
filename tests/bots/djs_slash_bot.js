// A discord.js 14.28.1 bot for the interaction / webhook matrix (issue 21), driven by the integration tests.
//
// Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... SPOT_GUILD_ID=<home guild> SPOT_CHANNEL_ID=<#general>
//        node djs_slash_bot.js
// Prints one JSON object per line:
//   {"ready": {"application_id", "user", "commands": [sorted names], "ids": {name: id}, "types": {name: type}}}
//   {"webhook": {"id", "message_id", "url", "url_accepted", "channel_id", "author", "webhook_id", "attachments"}}
//   {"handled": {"name", "type", "user", ...}}   after each answered interaction (the answer's HTTP call returned)
//   {"error": "..."}                             any library exception (the test fails on it)
//   {"stopped": {"handled": n}}                  on the way out
// Ends on a {"stop": true} line or EOF on stdin *when stdin is a pipe* (with stdin = /dev/null, as BotProcess starts
// bots today, it runs until SPOT_BOT_LIFETIME seconds, default 300, or until it is killed).
//
// Commands, answers and the webhook post are the same as dpy_slash_bot.py's (see its header). Registration is
// client.rest.put(Routes.applicationGuildCommands(app, guild), { body }) with the builders' JSON.
//
// What spot must send / accept for discord.js 14.28.1 (@discordjs/rest 2.6.3, discord-api-types 0.38.57):
//   * REST base: rest.api = SPOT_URL + '/api'; the library appends '/v10'. The gateway URL comes from
//     GET /gateway/bot. client.application.id comes from READY's `application.id`.
//   * Interaction callbacks: POST /api/v10/interactions/{id}/{token}/callback with NO Authorization header
//     (auth: false). reply / deferReply / update / showModal add the query `with_response=false` (the literal
//     string; `true` only if the bot asks withResponse); autocomplete's respond() sends no query at all. With
//     with_response=false the body is ignored: 204 No Content is right. deferReply sends
//     {"type": 5, "data": {"flags": 0}} (flags 64 if ephemeral); reply {"type": 4, "data": {content, flags?,
//     components?, ...}}; ephemeral uses flags 64 (MessageFlags.Ephemeral); update {"type": 7, "data": {...}};
//     showModal {"type": 9, "data": {custom_id, title, components}}; respond {"type": 8, "data": {"choices":
//     [{name, value, name_localizations: undefined->omitted}]}}.
//   * editReply: PATCH /webhooks/{app}/{token}/messages/@original (no query, auth false) -> must return a full
//     message with channel_id (cached channel: messages._add). followUp: POST /webhooks/{app}/{token}?wait=true
//     (auth false) -> full message.
//   * INTERACTION_CREATE (BaseInteraction constructor): `entitlements` MUST be an array (.reduce on it) and
//     `authorizing_integration_owners` MUST be an object (indexed unguarded) -- either missing is a TypeError
//     inside the gateway handler. channelId is read from `channel.id` (the channel OBJECT; `channel_id` is not
//     read); user from `user ?? member.user` (so guild interactions need member.user); member.permissions
//     (string) -> memberPermissions; app_permissions (string); locale; guild_locale; context;
//     attachment_size_limit; version; application_id; token; id; type.
//     Class by type: 2 -> data.type 1/2/3 (ChatInput / User / Message); 3 -> data.component_type 2 (Button),
//     3 (StringSelect), 5/6/7/8; 4 -> Autocomplete; 5 -> ModalSubmit. A message command or a component in a
//     channel that is cached and not text-based is dropped silently.
//   * Command data: id, name, type, guild_id (commandGuildId), options[{name, type, value, focused?}];
//     options.getFocused() needs the focused option to carry "focused": true. Context menus: data.target_id and
//     data.resolved REQUIRED (destructured; missing -> TypeError), resolved.users[target_id]
//     (+ resolved.members[target_id]) or resolved.messages[target_id] (a full message: author, content, ...).
//   * Components: data.custom_id, data.component_type, data.values (string select); `message` is required
//     (full message: id, channel_id, author, content, components...). Modal submit: data.custom_id,
//     data.components = [{"type": 1, "components": [{"type": 4, "custom_id": "thoughts", "value": "..."}]}]
//     (or type 18 label {component}); getTextInputValue() checks the inner type is 4.
//   * Webhooks: channel.createWebhook({ name }) -> POST /channels/{id}/webhooks {"name": "ci"} (auth bot);
//     Webhook#url is built as rest.api + '/webhooks/{id}/{token}', i.e. with the spot base.
//     new WebhookClient({ url }) only accepts
//     /https?:\/\/(?:ptb\.|canary\.)?discord\.com\/api(?:\/v\d{1,2})?\/webhooks\/(\d{17,19})\/([\w-]{68})/i,
//     so a spot URL is refused (WebhookURLInvalid; reported as "url_accepted": false) and the bot uses
//     new WebhookClient({ id, token }, { rest: { api } }) -- the honest way. (A token that is not exactly 68
//     [A-Za-z0-9_-] chars, or an id outside 17-19 digits, would also break a pasted discord.com-shaped URL: the
//     regex is unanchored, a longer token is silently cut to 68.) Execute: POST /webhooks/{id}/{token}?wait=true,
//     auth false, multipart/form-data: part payload_json {"content", "username", "attachments": [{"id": 0}]}
//     and part files[0] (filename log.txt). WebhookClient#send returns the raw JSON message (no cache).
'use strict';

const fs = require('node:fs');
const readline = require('node:readline');
const {
  ActionRowBuilder,
  ApplicationCommandType,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  ContextMenuCommandBuilder,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  WebhookClient,
} = require('discord.js');

const base = process.env.SPOT_URL.replace(/\/$/, '');
const guildId = process.env.SPOT_GUILD_ID;
const channelId = process.env.SPOT_CHANNEL_ID;
const lifetime = Number(process.env.SPOT_BOT_LIFETIME || 300) * 1000;
const fruits = ['apple', 'apricot', 'banana', 'cherry'];
const report = (key, value = null) => process.stdout.write(JSON.stringify({ [key]: value }) + '\n');
const fail = (error) => report('error', String((error && error.stack) || error));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: `${base}/api` } });
let handledCount = 0;

function handled(interaction, name, extra = {}) {
  handledCount += 1;
  report('handled', { name, type: interaction.type, user: interaction.user.username, ...extra });
}

const commands = [
  new SlashCommandBuilder()
    .setName('echo')
    .setDescription('Says the text back')
    .addStringOption((o) => o.setName('text').setDescription('What to say').setRequired(true))
    .addBooleanOption((o) => o.setName('loud').setDescription('Shout it')),
  new SlashCommandBuilder()
    .setName('pick')
    .setDescription('Picks a fruit')
    .addStringOption((o) => o.setName('fruit').setDescription('A fruit').setRequired(true).setAutocomplete(true)),
  new SlashCommandBuilder().setName('slow').setDescription('Answers after a while'),
  new SlashCommandBuilder().setName('secret').setDescription('Only you see the answer'),
  new SlashCommandBuilder().setName('buttons').setDescription('Shows a button and a menu'),
  new SlashCommandBuilder().setName('form').setDescription('Asks for feedback'),
  new SlashCommandBuilder().setName('never').setDescription('Never answers'),
  new SlashCommandBuilder()
    .setName('admin-only')
    .setDescription('Only for administrators')
    .setDefaultMemberPermissions(PermissionFlagsBits.Administrator),
  new ContextMenuCommandBuilder().setName('Say hi').setType(ApplicationCommandType.User),
  new ContextMenuCommandBuilder().setName('Quote').setType(ApplicationCommandType.Message),
].map((command) => command.toJSON());

function componentRows(pressed) {
  return [
    new ActionRowBuilder().addComponents(
      new ButtonBuilder().setCustomId('press').setLabel('Press').setStyle(ButtonStyle.Primary).setDisabled(pressed),
    ),
    new ActionRowBuilder().addComponents(
      new StringSelectMenuBuilder()
        .setCustomId('choose')
        .addOptions({ label: 'a', value: 'a' }, { label: 'b', value: 'b' }, { label: 'c', value: 'c' }),
    ),
  ];
}

function feedbackModal() {
  return new ModalBuilder()
    .setCustomId('feedback')
    .setTitle('Feedback')
    .addComponents(
      new ActionRowBuilder().addComponents(
        // setLabel on a text input is the classic (action row) form; builders 1.15 marks it deprecated in favour of
        // a LabelBuilder (component type 18) but still sends it as given.
        new TextInputBuilder()
          .setCustomId('thoughts')
          .setLabel('Thoughts')
          .setStyle(TextInputStyle.Short)
          .setRequired(true),
      ),
    );
}

async function handle(interaction) {
  if (interaction.isAutocomplete()) {
    if (interaction.commandName !== 'pick') return;
    const typed = String(interaction.options.getFocused() ?? '');
    const choices = fruits.filter((f) => f.startsWith(typed)).map((f) => ({ name: f, value: f }));
    await interaction.respond(choices);
    handled(interaction, 'pick', { focused: typed, choices: choices.map((c) => c.value) });
  } else if (interaction.isChatInputCommand()) {
    switch (interaction.commandName) {
      case 'echo': {
        const text = interaction.options.getString('text', true);
        const loud = interaction.options.getBoolean('loud');
        await interaction.reply(loud ? text.toUpperCase() : text);
        handled(interaction, 'echo', { text, loud });
        break;
      }
      case 'pick': {
        const fruit = interaction.options.getString('fruit', true);
        await interaction.reply(`picked ${fruit}`);
        handled(interaction, 'pick', { fruit });
        break;
      }
      case 'slow': {
        await interaction.deferReply();
        await sleep(1500);
        const edited = await interaction.editReply('done slowly');
        const followUp = await interaction.followUp('and a follow-up');
        handled(interaction, 'slow', { original: edited.id, followup: followUp.id });
        break;
      }
      case 'secret':
        await interaction.reply({ content: 'only you', flags: MessageFlags.Ephemeral });
        handled(interaction, 'secret');
        break;
      case 'buttons':
        await interaction.reply({ content: 'pick one', components: componentRows(false) });
        handled(interaction, 'buttons');
        break;
      case 'form':
        await interaction.showModal(feedbackModal());
        handled(interaction, 'form');
        break;
      case 'never':
        handled(interaction, 'never', { answered: false });
        break;
      case 'admin-only':
        await interaction.reply('admin ok');
        handled(interaction, 'admin-only');
        break;
      default:
        report('error', `unknown command ${interaction.commandName}`);
    }
  } else if (interaction.isUserContextMenuCommand()) {
    const target = interaction.targetUser;
    await interaction.reply(`hi ${target.username}`);
    handled(interaction, interaction.commandName, { target: target.username });
  } else if (interaction.isMessageContextMenuCommand()) {
    const target = interaction.targetMessage;
    await interaction.reply(`> ${target.content}`);
    handled(interaction, interaction.commandName, { target: target.id });
  } else if (interaction.isButton()) {
    if (interaction.customId !== 'press') return;
    await interaction.update({ content: `pressed by ${interaction.user.username}`, components: componentRows(true) });
    handled(interaction, 'press', { message: interaction.message.id });
  } else if (interaction.isStringSelectMenu()) {
    if (interaction.customId !== 'choose') return;
    const value = interaction.values[0];
    await interaction.reply(`chose ${value}`);
    handled(interaction, 'choose', { value });
  } else if (interaction.isModalSubmit()) {
    if (interaction.customId !== 'feedback') return;
    const value = interaction.fields.getTextInputValue('thoughts');
    await interaction.reply(`thanks: ${value}`);
    handled(interaction, 'feedback', { value });
  }
}

async function register() {
  const appId = client.application.id;
  const synced = await client.rest.put(Routes.applicationGuildCommands(appId, guildId), { body: commands });
  report('ready', {
    application_id: appId,
    user: client.user.username,
    commands: synced.map((c) => c.name).sort(),
    ids: Object.fromEntries(synced.map((c) => [c.name, c.id])),
    types: Object.fromEntries(synced.map((c) => [c.name, c.type])),
  });
}

async function webhookPhase() {
  const channel = client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId));
  const created = await channel.createWebhook({ name: 'ci' }); // POST /channels/{id}/webhooks
  let urlAccepted = true;
  try {
    new WebhookClient({ url: created.url }).destroy();
  } catch (error) {
    if (error.code !== 'WebhookURLInvalid') throw error;
    urlAccepted = false; // only discord.com URLs parse: see the header
  }
  const hook = new WebhookClient({ id: created.id, token: created.token }, { rest: { api: `${base}/api` } });
  try {
    const sent = await hook.send({
      content: 'build passed',
      username: 'builder',
      files: [new AttachmentBuilder(Buffer.from('all 42 tests passed\n'), { name: 'log.txt' })],
    });
    report('webhook', {
      id: created.id,
      message_id: sent.id,
      url: hook.url,
      channel_webhook_url: created.url,
      url_accepted: urlAccepted,
      channel_id: sent.channel_id,
      author: sent.author && sent.author.username,
      webhook_id: sent.webhook_id ?? null,
      attachments: (sent.attachments || []).map((a) => a.filename),
      content: sent.content,
    });
  } finally {
    hook.destroy();
  }
}

let started = false;
let stopping = false;

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  report('stopped', { handled: handledCount });
  await client.destroy();
  process.exit(code);
}

client.once(Events.ClientReady, async () => {
  if (started) return;
  started = true;
  try {
    await register();
    await webhookPhase();
  } catch (error) {
    fail(error);
    await stop(1);
  }
});

client.on(Events.InteractionCreate, async (interaction) => {
  try {
    await handle(interaction);
  } catch (error) {
    fail(error);
  }
});

client.on(Events.Error, fail);
// A malformed INTERACTION_CREATE throws inside discord.js's gateway handler (e.g. no `entitlements` array): without
// this the process dies with a stack on stderr and no JSON line.
process.on('uncaughtException', (error) => {
  fail(error);
  process.exit(1);
});
process.on('unhandledRejection', fail);

// Stop on {"stop": true} or EOF, but only when stdin is a pipe (not /dev/null or a terminal).
const stdinStat = fs.fstatSync(0);
if (stdinStat.isFIFO() || stdinStat.isSocket()) {
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    try {
      if (JSON.parse(line).stop) stop(0);
    } catch {
      // not JSON: ignored
    }
  });
  lines.on('close', () => stop(0));
}

setTimeout(() => stop(0), lifetime).unref();
// The lifetime timer is unref'd: the gateway socket keeps the process alive until stop().
client.login(process.env.SPOT_BOT_TOKEN).catch((error) => {
  fail(error);
  process.exit(1);
});
