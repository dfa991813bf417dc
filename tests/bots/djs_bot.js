// A discord.js bot driven by the integration tests against a real spot server.
// Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... node djs_bot.js
// Prints one JSON object per line for each step; the Rust test reads them and checks the server's side.
'use strict';

const { Client, Events, GatewayIntentBits, AttachmentBuilder, ChannelType } = require('discord.js');

const base = process.env.SPOT_URL.replace(/\/$/, '');
const report = (key, value = null) => process.stdout.write(JSON.stringify({ [key]: value }) + '\n');

const client = new Client({
  intents: [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.GuildMessageReactions,
    GatewayIntentBits.MessageContent,
  ],
  rest: { api: `${base}/api` },
});

let phase = 'start';
let resumed = false;
let gapSeen = false;
const rateLimits = [];
client.rest.on('rateLimited', (info) => rateLimits.push(info.timeToReset));

async function firstPhase() {
  const guild = client.guilds.cache.first();
  const channel = guild.channels.cache.find((c) => c.name === 'general');
  report('ready', {
    user: client.user.username,
    guild: guild.name,
    channels: [...guild.channels.cache.values()].map((c) => c.name).sort(),
    everyone: guild.roles.everyone.id === guild.id,
  });
  const message = await channel.send('hello from discord.js');
  await message.edit('edited by discord.js');
  await message.react('🎉');
  await message.pin();
  const reply = await message.reply('a reply');
  const thread = await message.startThread({ name: 'djs thread' });
  const inThread = await thread.send('in the thread');
  const privateThread = await channel.threads.create({ name: 'private', type: ChannelType.PrivateThread });
  const upload = await channel.send({ content: 'a file', files: [new AttachmentBuilder(Buffer.from('hello file'), { name: 'hello.txt' })] });
  const history = await channel.messages.fetch({ limit: 10 });
  // Download the file the way bots do: a plain fetch of the attachment's URL, no token.
  const firstName = upload.attachments.first().name;
  const historyContents = [...history.values()].map((m) => m.content);
  const download = await fetch(upload.attachments.first().url);
  // An edit with a new file (discord.js sends multipart with payload_json and files[n]).
  const edited = await upload.edit({ content: 'a file, edited', files: [new AttachmentBuilder(Buffer.from('second file'), { name: 'second.txt' })] });
  report('phase1', {
    message: message.id,
    channel: channel.id,
    reply_ref: reply.reference.messageId,
    thread: thread.id,
    thread_message: inThread.id,
    private_thread_type: privateThread.type,
    attachment: firstName,
    attachment_bytes: download.ok ? await download.text() : `HTTP ${download.status}`,
    edited_files: [...edited.attachments.values()].map((a) => a.name),
    history: historyContents,
  });
  const started = Date.now();
  for (let i = 0; i < 8; i++) await channel.send(`burst ${i}`);
  report('burst', { seconds: (Date.now() - started) / 1000, waits: rateLimits.length });
}

async function resumePhase(message) {
  report('received', { content: message.content, author: message.author.username, bot: message.author.bot });
  // Make the server drop the socket: an unknown opcode is closed with 4001, which discord.js resumes from.
  await client.ws._ws.send(0, { op: 99, d: null });
  await message.channel.send('sent during the gap');
  const deadline = Date.now() + 30000;
  while (!(resumed && gapSeen) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  report('resumed', { resumed, gap_message_seen: gapSeen });
}

client.once(Events.ClientReady, async () => {
  phase = 'phase1';
  try {
    await firstPhase();
  } catch (error) {
    report('error', String(error && error.stack || error));
    await client.destroy();
    process.exit(1);
  }
});

client.on(Events.ShardResume, () => { resumed = true; });

client.on(Events.MessageCreate, async (message) => {
  if (message.content === 'sent during the gap') { gapSeen = true; return; }
  if (message.author.id === client.user.id || phase !== 'phase1') return;
  phase = 'resuming';
  try {
    await resumePhase(message);
  } catch (error) {
    report('error', String(error && error.stack || error));
  }
  await client.destroy();
  process.exit(0);
});

setTimeout(() => { report('error', 'timed out'); process.exit(1); }, 120000).unref();
client.login(process.env.SPOT_BOT_TOKEN).catch((error) => { report('error', String(error)); process.exit(1); });
