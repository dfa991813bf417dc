// A discord.js bot exchanging direct messages with a person, driven by tests/it/bot_dms.rs.
// Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... SPOT_PEER_ID=<the person's id> node djs_dm_bot.js
// As discord.js documents for DMs, the client asks for DirectMessages and the Channel partial (a DM channel the
// bot has not cached arrives as a partial); it asks for no MessageContent: DMs carry content regardless.
'use strict';

const { Client, Events, GatewayIntentBits, Partials, ChannelType } = require('discord.js');

const base = process.env.SPOT_URL.replace(/\/$/, '');
const peer = process.env.SPOT_PEER_ID;
const report = (key, value = null) => process.stdout.write(JSON.stringify({ [key]: value }) + '\n');

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, GatewayIntentBits.DirectMessageReactions],
  partials: [Partials.Channel],
  rest: { api: `${base}/api` },
});

const fail = (error) => {
  report('error', String(error && error.stack ? error.stack : error));
  client.destroy();
  process.exitCode = 1;
};

client.once(Events.ClientReady, async () => {
  try {
    const person = await client.users.fetch(peer);
    const sent = await person.send('hello from discord.js');
    report('sent', {
      channel: sent.channel.id,
      dm: sent.channel.type === ChannelType.DM,
      recipient: person.dmChannel ? person.dmChannel.recipientId : null,
    });
  } catch (error) {
    fail(error);
  }
});

client.on(Events.MessageCreate, async (message) => {
  if (message.author.id !== peer) return;
  try {
    report('received', {
      content: message.content,
      dm: message.channel.type === ChannelType.DM,
      guild: message.guild !== null,
      channel: message.channel.id,
    });
    await message.react('👍');
    await message.channel.send(`got it: ${message.content}`);
    const history = await message.channel.messages.fetch({ limit: 5 });
    report('replied', { history: [...history.values()].map((m) => m.content) });
    client.destroy();
  } catch (error) {
    fail(error);
  }
});

client.login(process.env.SPOT_BOT_TOKEN).catch(fail);
